// Regulator pages: a small vanilla script over the /v1 API.
// The agency key lives only in this tab's sessionStorage and is sent as a Bearer token;
// it never reaches a cookie, so the server renders no private data itself.
(() => {
  "use strict";
  const STORE = "qcredit.key";
  const $ = (sel) => document.querySelector(sel);
  const M = JSON.parse($("#i18n").textContent);
  const API = JSON.parse($("#api").textContent);
  const t = (k) => M[k] || k;
  const AGENCY = "qcredit.agency";
  const key = () => sessionStorage.getItem(STORE);
  const agency = () => JSON.parse(sessionStorage.getItem(AGENCY) || "null");

  // DOM builder: text always goes through textContent, never innerHTML.
  function h(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined) continue;
      node.append(kid instanceof Node ? kid : String(kid));
    }
    return node;
  }

  function fill(path, params) {
    let url = path.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k]));
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params.query || {})) if (v) query.set(k, v);
    const qs = query.toString();
    return qs ? `${url}?${qs}` : url;
  }

  async function call(path, params, accept) {
    const res = await fetch(fill(path, params || {}), {
      headers: { Authorization: `Bearer ${key()}`, Accept: accept || "application/json" },
    });
    if (!res.ok) {
      let problem = {};
      try { problem = await res.json(); } catch (e) { /* not JSON */ }
      const err = new Error(problem.detail || res.statusText);
      err.status = res.status;
      throw err;
    }
    return accept ? res.blob() : res.json();
  }

  function showError(err) {
    const box = $("#reg-error");
    let text = `${t("reg.error")}: ${err.message}`;
    if (err.status === 401) {
      sessionStorage.removeItem(STORE);
      text = t("reg.bad_key");
    } else if (err.status === 403) {
      text = `${t("reg.forbidden")} ${err.message}`;
    }
    box.textContent = text;
    box.hidden = false;
  }

  function clearError() { $("#reg-error").hidden = true; }

  function grade(g) {
    return g ? h("span", { class: `grade grade-${g}`, title: t(`grade.${g}`) }, g) : "—";
  }

  // An enumerated value in words (v.<field>.<value>), or the value itself.
  const v = (field, value) => (value === null || value === undefined || value === ""
    ? "" : M[`v.${field}.${value}`] || String(value));
  let catalogNames = null;
  async function categoryName(code) {
    if (!code) return "";
    if (catalogNames === null) {
      const lang = document.body.dataset.lang;
      const cat = await call(API.catalog, {}).catch(() => ({ items: [] }));
      catalogNames = Object.fromEntries(cat.items.map((c) =>
        [c.code, lang === "zh" ? c.name : c.name_en || c.name]));
    }
    return catalogNames[code] || code;
  }
  // "Order 44 Art.7(3)" -> "《管理办法》第7条第3项"
  const articleZh = (a) => a.replace(/^Order 44 Art\.(\d+)(?:\((\d+)\))?$/,
    (_, art, item) => `《管理办法》第${art}条${item ? `第${item}项` : ""}`);
  function perYear(n) {
    if (n === null || n === undefined) return "—";
    const known = M[`reg.freq.${n}`];
    return known || t("reg.freq.n").replace("{n}", n);
  }

  function table(headers, rows, empty) {
    if (!rows.length) return h("p", { class: "notice" }, empty || t("reg.empty"));
    return h("div", { class: "table-wrap" },
      h("table", { class: "stack" },
        h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
        h("tbody", {}, rows.map((cells) => h("tr", {},
          cells.map((c, i) => h("td", { "data-label": headers[i] }, c)))))));
  }

  async function load(target, work) {
    clearError();
    const box = $(target);
    box.replaceChildren(h("p", { class: "muted" }, t("reg.loading")));
    try {
      box.replaceChildren(await work());
    } catch (err) {
      box.replaceChildren();
      showError(err);
    }
  }

  // -- dossier ---------------------------------------------------------------------------
  async function dossier(code) {
    const ent = await call(API.enterprise, { code });
    const [changes, records] = await Promise.all([
      call(API.history, { code: ent.code }).catch(() => ({ items: [] })),
      call(API.records, { code: ent.code }).catch(() => ({ items: [] })),
    ]);
    const cls = ent.classification || { reasons: [], supervision: {} };
    const sup = cls.supervision || {};
    const lang = document.body.dataset.lang;
    const details = await Promise.all((records.items || []).map(detail));
    return h("article", { id: "dossier-card" },
      h("h2", {}, ent.name, " ", grade(cls.grade)),
      h("dl", { class: "facts" },
        h("dt", {}, t("field.code")), h("dd", { class: "code" }, ent.code),
        h("dt", {}, t("field.region")), h("dd", {}, `${ent.region_name || ""} ${ent.region_code}`),
        h("dt", {}, t("field.grade")), h("dd", { id: "dossier-grade" }, cls.grade ? t(`grade.${cls.grade}`) : "—"),
        h("dt", {}, t("reg.as_of")), h("dd", {}, cls.as_of || "—"),
        h("dt", {}, t("reg.supervision")), h("dd", {}, lang === "zh" ? sup.mode_zh || sup.mode || "—" : sup.mode || "—"),
        h("dt", {}, t("reg.per_year")), h("dd", {}, perYear(sup.inspections_per_year)),
        h("dt", {}, t("field.listed")), h("dd", {}, ent.blacklisted
          ? h("span", { class: "badge hit" }, t("screen.hit"))
          : h("span", { class: "badge clear" }, t("reg.not_listed")))),
      h("h3", {}, t("reg.reasons")),
      h("ul", { id: "reasons" }, (cls.reasons || []).map((r) =>
        h("li", {}, h("strong", {}, r.grade || ""), " ", lang === "zh" ? r.text : r.text_en || r.text,
          lang === "zh" ? "" : h("span", { class: "muted" }, ` (${r.rule})`)))),
      h("h3", {}, t("reg.history")),
      changes.items.length
        ? h("ol", { class: "timeline", id: "grade-history" }, changes.items.map((c) =>
          h("li", {}, h("strong", {}, (c.at || "").slice(0, 10)), " ",
            grade(c.from), " → ", grade(c.to),
            h("span", { class: "muted" }, ` ${t("reg.as_of")} ${c.as_of} · ${t("reg.trigger")}${lang === "zh" ? "：" : ": "}${c.trigger ? M[`trigger.${c.trigger}`] || c.trigger : "—"}`))))
        : h("p", { class: "muted" }, t("reg.empty")),
      h("h3", {}, t("reg.records")),
      table([t("reg.occurred_on"), t("reg.kind"), t("reg.record_status"), t("reg.detail")],
        (records.items || []).map((r, i) => [h("span", { class: "date" }, r.occurred_on),
          v("kind", r.kind), v("status", r.status), details[i]])));
  }

  // One line per record kind, in words.
  async function detail(r) {
    const join = (...xs) => xs.filter((x) => x !== null && x !== undefined && x !== "").join(" · ");
    const sep = document.body.dataset.lang === "zh" ? "、" : ", ";
    switch (r.kind) {
      case "inspection":
        return join(await categoryName(r.product_category), v("level", r.level),
          r.refused ? t("reg.refused") : v("result", r.retest_result || r.result));
      case "penalty":
        return join(r.decision_number, (r.penalty_types || []).map((p) => v("penalty_types", p)).join(sep),
          r.heavier ? t("reg.heavier") : "");
      case "complaint":
        return join(v("channel", r.channel), r.substantiated ? t("reg.substantiated") : t("reg.not_substantiated"));
      case "incident":
        return join(v("severity", r.severity), r.description);
      case "recall":
        return join(v("mode", r.mode), r.refused_or_delayed ? t("reg.refused_or_delayed") : "");
      case "licence":
        return join(v("licence_type", r.licence_type),
          r.valid_to ? t("reg.valid_to").replace("{d}", r.valid_to) : "", r.revoked ? t("reg.revoked") : "");
      case "key_case":
        return join(v("state", r.state), r.supervising_authority);
      case "monitoring":
      case "injury":
        return join(await categoryName(r.product_category), v("sample_source", r.sample_source),
          r.hazard_found ? join(v("severity", r.severity), r.hazard) : "");
      default:
        return join(r.title, v("award_type", r.award_type));
    }
  }

  // -- lists ---------------------------------------------------------------------------
  const link = (code) => h("a", { href: `/regulator/dossier?code=${encodeURIComponent(code)}` }, code);

  async function plan(region) {
    const page = await call(API.plan, { query: { region, limit: 200 } });
    return table(
      [t("field.code"), t("field.name"), t("field.grade"), t("reg.per_year"), t("reg.last_inspected"), t("reg.due_on")],
      page.items.map((p) => [link(p.code), p.name, grade(p.grade), perYear(p.inspections_per_year),
        h("span", { class: "date" }, p.last_inspection_on || "—"),
        h("span", {}, h("span", { class: "date" }, p.due_on), " ",
          p.overdue_days ? h("span", { class: "badge hit" }, t("reg.overdue").replace("{n}", p.overdue_days)) : "")]),
      t("reg.plan.empty"));
  }

  async function candidates(region) {
    const page = await call(API.candidates, { query: { region, limit: 200 } });
    const lang = document.body.dataset.lang;
    return table(
      [t("field.code"), t("field.name"), t("field.grade"), t("reg.trigger")],
      page.items.map((c) => [link(c.code), c.name, grade(c.grade),
        h("ul", {}, c.triggers.map((x) => h("li", {}, lang === "zh"
          ? `${x.text}（${articleZh(x.article)}）` : `${x.text_en} (${x.article})`)))]),
      t("reg.candidates.empty"));
  }

  async function report(form) {
    const status = $("#report-status");
    const fmt = form.format.value;
    status.textContent = t("reg.loading");
    const query = { region: form.region.value, year: form.year.value, format: fmt };
    const blob = await call(API.report, { query }, fmt === "xlsx"
      ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/html");
    const a = h("a", { href: URL.createObjectURL(blob),
      download: `quality-${query.region || "CN"}-${query.year}.${fmt}` });
    document.body.append(a);
    a.click();
    a.remove();
    status.textContent = `${t("reg.download")}: ${a.download}`;
  }

  // -- wiring ------------------------------------------------------------------------------
  function onSubmit(id, handler) {
    const form = document.getElementById(id);
    if (form) form.addEventListener("submit", (ev) => { ev.preventDefault(); handler(form); });
    return form;
  }

  function init() {
    const page = document.body.dataset.page;
    const signedIn = Boolean(key());
    const out = $("#signout");
    out.hidden = !signedIn;
    out.addEventListener("click", () => {
      sessionStorage.removeItem(STORE);
      sessionStorage.removeItem(AGENCY);
      location.href = "/regulator";
    });
    if (page !== "reg-signin" && !signedIn) {
      $("#need-key").hidden = false;
      document.querySelectorAll("[data-needs-key]").forEach((f) => { f.hidden = true; });
      return;
    }
    const who = $("#signed-in");
    const showWho = (a) => {
      const zh = document.body.dataset.lang === "zh";
      const where = a.region || t("reg.national");
      who.textContent = zh ? `${t("reg.signed_in")}：${a.name}（${where}）`
        : `${t("reg.signed_in")}: ${a.name} (${where})`;
      who.hidden = false;
    };
    if (page === "reg-signin") {
      if (signedIn && agency()) showWho(agency());
      onSubmit("signin", async (form) => {
        sessionStorage.setItem(STORE, form.key.value.trim());
        form.key.value = "";
        try {
          const me = await call(API.whoami, {});
          sessionStorage.setItem(AGENCY, JSON.stringify(me));
          clearError();
          showWho(me);
          out.hidden = false;
        } catch (err) {
          sessionStorage.removeItem(STORE);
          showError(err);
        }
      });
    }
    // Lists and reports start at the agency's own jurisdiction.
    const home = (agency() || {}).region || "";
    document.querySelectorAll("input[name=region]").forEach((i) => { i.value = home; });
    const params = new URLSearchParams(location.search);
    const form = onSubmit("lookup", (f) => {
      history.replaceState(null, "", `?code=${encodeURIComponent(f.code.value.trim())}`);
      load("#dossier", () => dossier(f.code.value.trim()));
    });
    if (form && params.get("code")) load("#dossier", () => dossier(params.get("code")));
    if (onSubmit("plan-form", (f) => load("#plan", () => plan(f.region.value)))) {
      load("#plan", () => plan(home));
    }
    if (onSubmit("cand-form", (f) => load("#candidates", () => candidates(f.region.value)))) {
      load("#candidates", () => candidates(home));
    }
    onSubmit("report-form", (f) => report(f).catch(showError));
  }

  init();
})();
