"""A small zh-CN / English message catalog for the web pages.

Chinese is the default (the registry serves Chinese regulators and the Chinese public);
``?lang=en`` switches and a cookie remembers the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
COOKIE = "lang"

# key -> (zh, en). Placeholders use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    "site": ("企业质量信用与失信名单公示", "Quality Credit & Blacklist Registry"),
    "skip": ("跳到正文", "Skip to content"),
    "nav": ("主导航", "Main navigation"),
    "nav.home": ("首页", "Home"),
    "nav.search": ("名单查询", "Search the list"),
    "nav.penalties": ("行政处罚公示", "Penalties"),
    "nav.announcements": ("抽查结果公示", "Sampling results"),
    "nav.warnings": ("质量安全预警", "Warnings"),
    "nav.honours": ("守信激励名单", "Honour list"),
    "nav.screen": ("批量筛查", "Screening"),
    "nav.downloads": ("数据下载", "Downloads"),
    "nav.stats": ("抽查统计", "Statistics"),
    "nav.receipts": ("回执核验", "Receipts"),
    "nav.regulator": ("监管入口", "Regulators"),
    "lang.switch": ("English", "中文"),
    "lang.switch.label": ("English（切换到英文版）", "中文 (switch to Chinese)"),
    "footer": (
        "依据《市场监督管理严重违法失信名单管理办法》（市场监管总局令第44号）公示。",
        "Published under SAMR Order 44 on the serious-dishonesty list.",
    ),
    "home.lead": (
        "查询被列入严重违法失信名单的企业、批量筛查供应商、下载公示数据、查看产品质量监督抽查合格率。",
        "Search enterprises on the serious-dishonesty list, screen supplier lists, download "
        "the published data and see product sampling pass rates.",
    ),
    "home.listed": ("当前在列企业", "Enterprises currently listed"),
    "home.removed": ("已移出记录", "Removal records"),
    "search.label": ("企业名称或统一社会信用代码", "Enterprise name or credit code"),
    "search.placeholder": ("例如：盘锦 或 91211100…", "e.g. Panjin or 91211100…"),
    "search.submit": ("查询", "Search"),
    "search.region": ("地区", "Region"),
    "search.region.all": ("全部地区", "All regions"),
    "search.status": ("状态", "Status"),
    "search.status.all": ("全部", "All"),
    "search.results": ("查询结果", "Results"),
    "search.none": ("没有找到符合条件的名单记录。", "No list entries match."),
    "search.more": ("下一页", "Next page"),
    "search.invalid_code": ("代码无效：{detail}", "Invalid code: {detail}"),
    "status.listed": ("在列", "Listed"),
    "status.removed": ("已移出", "Removed"),
    "status.proposed": ("拟列入", "Proposed"),
    "status.notified": ("已告知", "Notified"),
    "removal.repaired": ("信用修复提前移出", "Early removal after credit repair"),
    "removal.overturned": ("处罚被撤销", "Penalty overturned"),
    "removal.error": ("错误列入更正", "Listed in error"),
    "removal.expired": ("期满自动移出", "Expired after 3 years"),
    "pen.lead": (
        "依据《市场监督管理行政处罚信息公示规定》(市场监管总局令第45号)公示的行政处罚信息:"
        "自处罚决定之日起公示三年,仅受到警告或三千元以下罚款的公示三个月;处罚被撤销或经信用修复的停止公示。",
        "Administrative penalties published under SAMR Order 45: public for 3 years from the "
        "decision, 3 months for a warning or a fine of at most 3,000 yuan; withdrawn when "
        "revoked or after credit repair.",
    ),
    "pen.none": ("没有找到正在公示的行政处罚信息。", "No published penalties match."),
    "pen.decision_number": ("处罚决定书文号", "Decision number"),
    "pen.decided_on": ("处罚决定日期", "Decided on"),
    "pen.types": ("处罚种类", "Penalty"),
    "pen.fine": ("罚款金额(元)", "Fine (yuan)"),
    "pen.basis": ("处罚依据", "Legal basis"),
    "pen.authority": ("处罚机关", "Authority"),
    "pen.until": ("公示截止", "Public until"),
    "ann.lead": (
        "市场监督管理部门发布的产品质量监督抽查结果公告;复检后的结论为最终结论"
        "(《产品质量监督抽查管理暂行办法》第四十二条)。",
        "Product sampling results announced by market regulators; after a re-test its "
        "result is final (SAMR Order 18 Art.42).",
    ),
    "ann.none": ("暂无已发布的抽查结果公告。", "No published announcements."),
    "ann.title": ("公告", "Announcement"),
    "ann.date": ("公告日期", "Date"),
    "ann.product": ("产品类别", "Product category"),
    "ann.level": ("抽查层级", "Level"),
    "ann.authority": ("发布机关", "Authority"),
    "ann.count": ("抽查批次", "Batches"),
    "ann.failed": ("不合格批次", "Failed"),
    "ann.product_name": ("产品名称", "Product"),
    "ann.batch": ("批号", "Batch"),
    "ann.sampled_on": ("抽样日期", "Sampled on"),
    "ann.result": ("检验结论", "Result"),
    "ann.retest": ("复检:", "re-test: "),
    "ann.failed_items": ("不合格项目", "Failed items"),
    "ann.final": ("最终结论", "Final result"),
    "warn.lead": (
        "市场监督管理部门针对产品类别和地区发布的质量安全风险预警与消费提示。",
        "Quality-safety warnings and consumer advice issued by market regulators on a product "
        "category and region.",
    ),
    "warn.none": ("暂无正在发布的质量安全预警。", "No warnings in force."),
    "hon.lead": (
        "市场监督管理部门公布的质量信用良好、推荐参加质量奖项评选的企业(守信激励)。",
        "Enterprises with a good quality-credit record that market regulators recommend for "
        "quality awards (incentives for trustworthiness).",
    ),
    "hon.none": ("暂无守信激励名单。", "The honour list is empty."),
    "hon.reason": ("激励事由", "Reason"),
    "warn.severity.low": ("一般", "Low"),
    "warn.severity.medium": ("较重", "Medium"),
    "warn.severity.high": ("严重", "High"),
    "warn.national": ("全国", "Nationwide"),
    "warn.issued_on": ("发布日期", "Issued"),
    "warn.expires_on": ("有效至", "Until"),
    "level.national": ("国家", "National"),
    "level.provincial": ("省级", "Provincial"),
    "level.municipal": ("市级", "Municipal"),
    "level.county": ("县级", "County"),
    "result.pass": ("合格", "Pass"),
    "result.fail": ("不合格", "Fail"),
    "ptype.warning": ("警告", "Warning"),
    "ptype.fine": ("罚款", "Fine"),
    "ptype.confiscation": ("没收违法所得、没收非法财物", "Confiscation"),
    "ptype.suspension": ("责令停产停业", "Suspension"),
    "ptype.licence_revocation": ("吊销许可证件", "Licence revoked"),
    "ptype.business_restriction": ("限制开展生产经营活动", "Business restricted"),
    "ptype.closure": ("责令关闭", "Closure"),
    "ptype.practice_restriction": ("限制从业", "Practice restricted"),
    "field.code": ("统一社会信用代码", "Credit code"),
    "field.name": ("企业名称", "Enterprise"),
    "field.region": ("地区", "Region"),
    "field.category": ("列入类别", "Category"),
    "field.reason": ("列入事由", "Reason"),
    "field.legal_basis": ("法律依据", "Legal basis"),
    "field.authority": ("作出决定机关", "Deciding authority"),
    "field.remedy": ("救济途径", "Remedy"),
    "field.decided_on": ("列入日期", "Listed on"),
    "field.expires_on": ("届满日期", "Expires on"),
    "field.removed_on": ("移出日期", "Removed on"),
    "field.removal_reason": ("移出原因", "Removal reason"),
    "field.removal_authority": ("移出决定机关", "Removal authority"),
    "field.status": ("状态", "Status"),
    "field.grade": ("分类等级", "Class"),
    "field.valid": ("代码有效", "Valid code"),
    "field.listed": ("是否在列", "Listed"),
    "entry.title": ("名单公示信息", "Published list entries"),
    "entry.listed_now": (
        "该企业目前在严重违法失信名单中。",
        "This enterprise is currently listed.",
    ),
    "entry.not_listed": (
        "该企业目前不在严重违法失信名单中。",
        "This enterprise is not currently listed.",
    ),
    "entry.none": ("没有该企业的公示记录。", "No published entries for this enterprise."),
    "entry.removals": ("移出记录", "Removal records"),
    "screen.title": ("供应商批量筛查", "Supplier screening"),
    "screen.lead": (
        "粘贴或上传最多 {max} 个统一社会信用代码（CSV 或 XLSX），查看哪些企业在列。",
        "Paste or upload up to {max} credit codes (CSV or XLSX) to see which are listed.",
    ),
    "screen.codes": ("代码（每行一个）", "Codes (one per line)"),
    "screen.file": (
        "或上传文件（CSV/XLSX，取第一列）",
        "Or upload a file (CSV/XLSX, first column)",
    ),
    "screen.submit": ("开始筛查", "Screen"),
    "screen.summary": (
        "共 {total} 个代码：{hits} 个在列，{invalid} 个无效。",
        "{total} codes: {hits} listed, {invalid} invalid.",
    ),
    "screen.hit": ("在列", "LISTED"),
    "screen.clear": ("已登记，未在列", "registered, not listed"),
    "screen.invalid": ("无效代码", "invalid code"),
    "screen.download": (
        "下载筛查结果（含签名回执）",
        "Download the result with its signed receipt",
    ),
    "screen.receipt": ("回执", "Receipt"),
    "screen.dataset": ("数据版本", "Dataset version"),
    "screen.error": ("无法筛查：{detail}", "Cannot screen: {detail}"),
    "screen.empty": ("请至少输入一个代码。", "Enter at least one code."),
    "downloads.title": ("公示数据下载", "Published data"),
    "downloads.lead": (
        "严重违法失信名单公示数据（含移出记录），可整表下载或按序号增量同步。",
        "The published list including removals: full export or incremental deltas.",
    ),
    "downloads.full": ("完整名单", "Full list"),
    "downloads.delta": (
        "增量（自某日起列入、公示、恢复或移出的记录）",
        "Deltas (entries listed, published, restored or removed since a date)",
    ),
    "downloads.notes": (
        "CSV 为带 BOM 的 UTF-8 编码，可直接用 Excel 打开；XLSX 中日期为日期格式。",
        "CSV is UTF-8 with a BOM so Excel opens it directly; XLSX holds real dates.",
    ),
    "downloads.machine": (
        "供程序读取的 CSV（英文字段名、无 BOM）",
        "CSV for programs (field names, no BOM)",
    ),
    "downloads.since": ("自该日起的变更", "Changes since"),
    "downloads.format": ("格式", "Format"),
    "stats.title": ("产品质量监督抽查合格率", "Product sampling pass rates"),
    "stats.lead": (
        "按产品类别、地区和月份统计的抽查合格率（以复检结果为准），虚线为目标值 {target}。",
        "Pass rates by product category, region and month (final results after re-test); "
        "the dashed line is the {target} target.",
    ),
    "stats.year": ("年度", "Year"),
    "stats.by_product": ("按产品类别", "By product category"),
    "stats.by_region": ("按地区", "By region"),
    "stats.by_month": ("按月份", "By month"),
    "stats.by_level": ("按抽查层级", "By inspection level"),
    "stats.target": ("目标 {target}", "target {target}"),
    "stats.below": ("低于目标", "below target"),
    "stats.tested": ("抽查批次", "Batches"),
    "stats.passed": ("合格批次", "Passed"),
    "stats.rate": ("合格率", "Pass rate"),
    "stats.none": ("该期间没有抽查数据。", "No sampling data for this period."),
    "stats.table": ("数据表", "Data table"),
    "stats.report": ("下载质量状况报告", "Quality status report"),
    "stats.apply": ("查看", "Show"),
    "reg.title": ("监管人员入口", "Regulator sign-in"),
    "reg.lead": (
        "使用本机构的 API 密钥登录。密钥只保存在本浏览器标签页的会话存储中，关闭标签页即清除。",
        "Sign in with your agency API key. The key stays in this browser tab's session "
        "storage and is gone when the tab closes.",
    ),
    "reg.key": ("API 密钥", "API key"),
    "reg.signin": ("登录", "Sign in"),
    "reg.signout": ("退出", "Sign out"),
    "reg.signed_in": ("已登录", "Signed in"),
    "reg.bad_key": ("密钥无效或已吊销。", "Unknown or revoked key."),
    "reg.need_key": ("请先登录。", "Please sign in first."),
    "reg.calendar_short": (
        "工作日历仅覆盖至{year}年：此后的法定期限暂按周一至周五计算，发布节假日安排后可能顺延。"
        "请管理员载入{next}年的节假日和调休安排。",
        "The working-day calendar covers only up to {year}: later deadlines count Monday to "
        "Friday and may move once the holidays are published. An administrator should load "
        "the {next} holidays and make-up working days.",
    ),
    "reg.dossier": ("企业信用档案", "Enterprise dossier"),
    "reg.lookup": ("查看档案", "Open dossier"),
    "reg.plan": ("监管计划（应检企业）", "Supervision plan (due for inspection)"),
    "reg.candidates": ("拟列入名单线索", "Blacklist candidates"),
    "reg.reasons": ("分类依据", "Reasons"),
    "reg.history": ("等级变化", "Grade history"),
    "reg.records": ("信用记录", "Credit records"),
    "reg.supervision": ("监管方式", "Supervision"),
    "reg.per_year": ("每年检查次数", "Inspections per year"),
    "reg.loading": ("加载中…", "Loading…"),
    "reg.error": ("请求失败", "Request failed"),
    "reg.forbidden": ("超出本机构管辖范围。", "Outside your agency's jurisdiction."),
    "reg.empty": ("没有数据。", "Nothing to show."),
    "reg.region": ("地区前缀", "Region prefix"),
    "reg.due_on": ("应检日期", "Due on"),
    "reg.last_inspected": ("最近抽查", "Last inspected"),
    "reg.trigger": ("触发条件", "Trigger"),
    "reg.kind": ("类型", "Kind"),
    "reg.occurred_on": ("发生日期", "Date"),
    "reg.detail": ("内容", "Details"),
    "reg.record_status": ("记录状态", "Record status"),
    "reg.from_to": ("变化", "Change"),
    "reg.as_of": ("评定日期", "As of"),
    "reg.report": ("质量状况报告", "Quality status report"),
    "reg.report.lead": (
        "按地区和年度生成质量状况报告（XLSX 工作簿或含图表的 HTML 文档）。",
        "A quality status report for a region and year (XLSX workbook or HTML with charts).",
    ),
    "reg.format": ("格式", "Format"),
    "reg.download": ("下载", "Download"),
    "reg.agency": ("机构", "Agency"),
    "reg.national": ("全国", "national"),
    "reg.not_listed": ("未在列", "not listed"),
    "reg.overdue": ("逾期 {n} 天", "{n} days overdue"),
    "reg.freq.0.5": ("每两年一次", "every two years"),
    "reg.freq.1": ("每年一次", "once a year"),
    "reg.freq.2": ("每年两次", "twice a year"),
    "reg.freq.n": ("每年 {n} 次", "{n} times a year"),
    "reg.refused": ("拒绝抽查", "sampling refused"),
    "reg.heavier": ("较重处罚", "heavier penalty"),
    "reg.substantiated": ("属实", "substantiated"),
    "reg.not_substantiated": ("不属实", "not substantiated"),
    "reg.refused_or_delayed": ("拒不召回或拖延", "refused or delayed"),
    "reg.revoked": ("已吊销", "revoked"),
    "reg.valid_to": ("有效期至 {d}", "valid to {d}"),
    "reg.plan.empty": (
        "该地区目前没有应检企业：所有企业都在各自分类等级规定的检查周期内。",
        "No enterprise in this region is due: all are within the inspection interval of "
        "their class.",
    ),
    "reg.candidates.empty": (
        "目前没有拟列入线索。企业的信用档案出现《市场监督管理严重违法失信名单管理办法》"
        "第五条至第十一条所列情形时，会作为线索出现在这里；是否列入，由监管人员核实后按程序决定。",
        "No candidates now. An enterprise appears here when its dossier shows one of the cases "
        "of Order 44 Art.5-11; whether it is listed is decided by a regulator through the "
        "procedure.",
    ),
    "grade.AA": ("AA 优秀自律", "AA excellent self-discipline"),
    "grade.A": ("A 良好自律", "A good self-discipline"),
    "grade.B": ("B 常态", "B routine"),
    "grade.C": ("C 加严监管", "C stricter supervision"),
    "code.unknown": ("未登记", "not registered"),
    "code.unknown.long": (
        "该代码格式正确，但本系统未登记此企业，也没有它的公示记录。",
        "This code is valid, but no enterprise with it is registered here and it has no "
        "published entries.",
    ),
    "code.registered_not_listed": (
        "该企业已登记，目前不在严重违法失信名单中。",
        "This enterprise is registered and not currently listed.",
    ),
    "code.did_you_mean": ("正确代码可能是：", "Did you mean: "),
    "code.wrong": ("代码有误", "Mistyped code"),
    "receipt.title": ("筛查回执核验", "Screening receipts"),
    "receipt.lead": (
        "每次批量筛查都附有本系统签名的回执。粘贴回执令牌，或上传筛查结果文件（XLSX 或 JSON），"
        "即可查看回执内容并核验签名是否有效。",
        "Every screening comes with a receipt signed by this registry. Paste the receipt "
        "token or upload the screening download (XLSX or JSON) to read it and check its "
        "signature.",
    ),
    "receipt.token": ("回执令牌或回执内容", "Receipt token or receipt"),
    "receipt.file": ("或上传筛查结果文件（XLSX/JSON）", "Or upload the screening file (XLSX/JSON)"),
    "receipt.submit": ("核验", "Verify"),
    "receipt.valid": (
        "签名有效：本回执由本系统签发，内容未被改动。",
        "Signature valid: this registry issued this receipt and it is unchanged.",
    ),
    "receipt.invalid": (
        "签名无效：本回执不是本系统签发的，或内容已被改动。",
        "Signature not valid: this registry did not issue this receipt, or it was changed.",
    ),
    "receipt.malformed": (
        "无法识别回执：请粘贴完整的回执令牌，或上传筛查结果文件。",
        "This is not a receipt: paste the whole token or upload the screening file.",
    ),
    "receipt.empty": ("请粘贴回执令牌或上传文件。", "Paste a token or upload a file."),
    "receipt.issued_at": ("筛查时间", "Screened at"),
    "receipt.count": ("筛查代码数", "Codes screened"),
    "receipt.count_value": ("{n} 个", "{n}"),
    "receipt.dataset": ("名单数据版本", "List dataset version"),
    "receipt.hits": ("在列企业", "Listed enterprises found"),
    "receipt.no_hits": ("无（所筛代码均不在列）", "None (no screened code was listed)"),
    "receipt.sha": ("所筛代码的摘要（SHA-256）", "Digest of the codes screened (SHA-256)"),
    "receipt.link": ("查看回执说明与核验", "Read and verify this receipt"),
    "error.404": ("页面不存在", "Page not found"),
    "error.404.detail": (
        "您访问的地址不存在，请检查网址，或从首页重新查找。",
        "There is no page at this address. Check the URL or start again from the home page.",
    ),
    "error.405": ("不支持的操作", "Not allowed"),
    "error.405.detail": ("该页面不支持这种请求方式。", "This page does not accept that request."),
    "error.422": ("请求有误", "Invalid request"),
    "error.422.detail": (
        "提交的内容或网址中的参数有误，请返回修改后重试。",
        "Something in the form or the address is not valid; go back, correct it and retry.",
    ),
    "error.429": ("请求过于频繁", "Too many requests"),
    "error.429.detail": (
        "来自本地址的请求过多，请稍后再试。",
        "Too many requests from your address; please try again in a moment.",
    ),
    "error.back": ("返回首页", "Back to the home page"),
    "notfound": ("页面不存在", "Page not found"),
}


# Enumerated values as words: value -> (zh, en). Pages, downloads and reports all read these.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "food_safety": ("食品安全（第五条）", "Food safety (Art.5)"),
    "drug_safety": ("药品、医疗器械、化妆品（第六条）", "Drugs, devices, cosmetics (Art.6)"),
    "quality_safety": ("质量安全（第七条）", "Quality safety (Art.7)"),
    "consumer_rights": ("侵害消费者权益（第八条）", "Consumer rights (Art.8)"),
    "fair_competition": ("破坏公平竞争秩序（第九条）", "Fair competition (Art.9)"),
    "market_order": ("扰乱市场秩序（第十条）", "Market order (Art.10)"),
    "penalty_refusal": ("拒不履行处罚决定（第十一条）", "Refusing a penalty decision (Art.11)"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "listed": ("在列", "Listed"),
    "removed": ("已移出", "Removed"),
    "proposed": ("拟列入", "Proposed"),
    "notified": ("已告知", "Notified"),
}
REMOVAL_LABELS: dict[str, tuple[str, str]] = {
    "repaired": ("信用修复提前移出", "Early removal after credit repair"),
    "overturned": ("处罚被撤销", "Penalty overturned"),
    "error": ("错误列入更正", "Listed in error"),
    "expired": ("期满自动移出", "Expired after 3 years"),
}


def label(table: dict[str, tuple[str, str]], value: str | None, lang: Lang) -> str:
    """`value` as a word in `lang`; an unknown value shows as itself."""
    if not value:
        return ""
    pair = table.get(value)
    return value if pair is None else pair[0 if lang == "zh" else 1]


# Code validation messages (the API keeps its English `message` and stable `rule` ids).
CODE_ERRORS: dict[str, tuple[str, str]] = {
    "uscc_check": (
        "统一社会信用代码校验位错误：应为 {expected}，实为 {got}",
        "USCC check character is wrong: expected {expected}, got {got}",
    ),
    "org_check.17": (
        "统一社会信用代码第 17 位（组织机构代码校验位）错误：应为 {expected}，实为 {got}",
        "USCC position 17 (organization code check) is wrong: expected {expected}, got {got}",
    ),
    "org_check": (
        "组织机构代码校验位错误：应为 {expected}，实为 {got}",
        "organization code check character is wrong: expected {expected}, got {got}",
    ),
    "length": (
        "代码应为 18 位（统一社会信用代码）或 9 位（组织机构代码），实为 {got} 位",
        "a code has 18 characters (USCC) or 9 (organization code), not {got}",
    ),
    "charset": (
        "第 {position} 位的字符“{got}”不能出现在代码中",
        "character {got!r} at position {position} cannot appear in a code",
    ),
    "empty": ("代码为空", "the code is empty"),
    "type": ("不是文本代码", "not a text code"),
}


def code_error_text(error: object, lang: Lang) -> str:
    """A code error (a CodeError or the API's `{rule, message, expected}` dict) in words."""
    if isinstance(error, dict):
        rule = str(error.get("rule", ""))
        params = {"expected": error.get("expected"), "got": error.get("got"), "position": None}
        fallback = str(error.get("message", rule))
    else:
        rule = str(getattr(error, "rule", ""))
        params = {
            "expected": getattr(error, "expected", None),
            "got": getattr(error, "got", None),
            "position": getattr(error, "position", None),
        }
        fallback = str(getattr(error, "message", rule))
    if rule == "org_check" and params["position"] == 17:
        rule = "org_check.17"
    pair = CODE_ERRORS.get(rule)
    if pair is None:
        return fallback
    needed = [k for k in ("expected", "got", "position") if "{" + k in pair[0]]
    if any(params[k] is None for k in needed):
        return fallback if lang == "en" else pair[0].split("：")[0]
    return pair[0 if lang == "zh" else 1].format(**params)


def resolve_lang(query: str | None, cookie: str | None) -> Lang:
    for candidate in (query, cookie):
        if candidate in LANGS:
            return candidate
    return DEFAULT_LANG


def translate(key: str, lang: Lang, /, **params: object) -> str:
    """Message for `key` in `lang`; an unknown key renders as itself so a gap is visible."""
    pair = MESSAGES.get(key)
    text = key if pair is None else pair[0 if lang == "zh" else 1]
    return text.format(**params) if params else text


def translator(lang: Lang) -> Callable[..., str]:
    def t(key: str, /, **params: object) -> str:
        return translate(key, lang, **params)

    return t
