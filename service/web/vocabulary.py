"""Record fields and their enumerated values in words (zh, en): the dossier download, the
regulator pages and the report read them from here, so no English slug reaches a zh-CN
reader."""

from __future__ import annotations

RECORD_FIELDS: dict[str, str] = {
    "id": "记录编号",
    "code": "统一社会信用代码",
    "kind": "记录类型",
    "status": "记录状态",
    "source_ref": "来源编号",
    "version": "版本",
    "supersedes_id": "更正前记录编号",
    "agency_id": "报送机构编号",
    "occurred_on": "发生日期",
    "recorded_at": "录入时间",
    "status_reason": "状态变更原因",
    "status_changed_at": "状态变更时间",
    "product_category": "产品类别",
    "level": "抽查层级",
    "result": "抽查结果",
    "failed_items": "不合格项目",
    "notified_on": "结果告知日期",
    "retest_result": "复检结果",
    "recheck_result": "复查结果",
    "refused": "拒绝抽查",
    "product_name": "产品名称",
    "batch_no": "批号",
    "lab": "检验机构",
    "objection_filed_on": "异议提出日期",
    "retest_on": "复检日期",
    "rectification_ordered_on": "责令整改日期",
    "recheck_on": "复查日期",
    "announced_on": "公告日期",
    "recheck2_on": "再次复查日期",
    "recheck2_result": "再次复查结果",
    "decision_number": "处罚决定书文号",
    "decided_on": "决定日期",
    "legal_basis": "法律依据",
    "penalty_types": "处罚种类",
    "fine_amount": "罚款金额（元）",
    "heavier": "较重行政处罚",
    "police_referral": "移送公安",
    "substantiated": "投诉属实",
    "received_on": "受理日期",
    "channel": "投诉渠道",
    "subject": "投诉事项",
    "severity": "严重程度",
    "description": "情况说明",
    "mode": "召回方式",
    "refused_or_delayed": "拒不召回或拖延",
    "title": "名称",
    "award_type": "表彰类型",
    "awarded_by": "授予机关",
    "licence_type": "许可类型",
    "licence_number": "许可证编号",
    "valid_from": "有效期起",
    "valid_to": "有效期止",
    "revoked": "已吊销",
    "state": "案件状态",
    "case_ref": "案件编号",
    "supervising_authority": "督办机关",
    "closed_on": "结案日期",
    "retest_requested": "申请复检",
    "retest_notified_on": "复检通知日期",
    "retest_formalities_on": "复检手续办理日期",
    "retest_lab": "复检机构",
    "retest_lab_designated_on": "复检机构确定日期",
    "referred_on": "移送公安日期",
    "licence_name": "许可证名称",
    "hazard_found": "发现危害",
    "hazard": "危害情况",
    "sample_source": "样品来源",
}
DATE_FIELDS = {f for f in RECORD_FIELDS if f.endswith("_on") or f in ("valid_from", "valid_to")}
DATETIME_FIELDS = {"recorded_at", "status_changed_at"}
BOOL_FIELDS = {
    "retest_requested",
    "hazard_found",
    "refused",
    "heavier",
    "police_referral",
    "substantiated",
    "refused_or_delayed",
    "revoked",
}
PASS_FAIL = {"pass": ("合格", "pass"), "fail": ("不合格", "fail")}
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "inspection": ("监督抽查", "Sampling inspection"),
        "penalty": ("行政处罚", "Administrative penalty"),
        "complaint": ("投诉举报", "Complaint"),
        "incident": ("质量安全事故", "Quality incident"),
        "recall": ("缺陷产品召回", "Recall"),
        "commendation": ("表彰奖励", "Commendation"),
        "licence": ("许可认证", "Licence"),
        "key_case": ("挂牌督办案件", "Supervised key case"),
        "monitoring": ("风险监测", "Risk monitoring"),
        "injury": ("产品伤害监测", "Product-injury monitoring"),
    },
    "sample_source": {
        "production": ("生产环节", "production"),
        "market": ("流通环节", "market"),
        "ecommerce": ("电子商务", "e-commerce"),
        "hospital": ("医疗机构", "hospital"),
        "complaint": ("投诉举报", "complaint"),
        "other": ("其他", "other"),
    },
    "status": {
        "active": ("有效", "active"),
        "overturned": ("已撤销", "overturned"),
        "withdrawn": ("已撤回", "withdrawn"),
        "superseded": ("已更正", "superseded"),
    },
    "level": {
        "national": ("国家级", "national"),
        "provincial": ("省级", "provincial"),
        "municipal": ("市级", "municipal"),
        "county": ("县级", "county"),
        "province": ("省级", "province"),
        "prefecture": ("地市级", "prefecture"),
    },
    "result": PASS_FAIL,
    "retest_result": PASS_FAIL,
    "recheck_result": PASS_FAIL,
    "recheck2_result": PASS_FAIL,
    "penalty_types": {
        "warning": ("警告", "warning"),
        "fine": ("罚款", "fine"),
        "confiscation": ("没收违法所得、非法财物", "confiscation"),
        "suspension": ("暂扣许可证件", "suspension"),
        "licence_revocation": ("吊销许可证件", "licence revocation"),
        "business_restriction": ("限制开展生产经营活动", "business restriction"),
        "closure": ("责令停产停业、责令关闭", "closure"),
        "practice_restriction": ("限制从业", "practice restriction"),
    },
    "channel": {
        "12365": ("12365 平台", "12365"),
        "hotline": ("热线电话", "hotline"),
        "web": ("网上投诉", "web"),
        "letter": ("来信", "letter"),
        "visit": ("来访", "visit"),
        "other": ("其他", "other"),
    },
    "severity": {
        "minor": ("一般", "minor"),
        "major": ("重大", "major"),
        "none": ("无", "none"),
        "low": ("低", "low"),
        "medium": ("中", "medium"),
        "high": ("高", "high"),
    },
    "mode": {"voluntary": ("主动召回", "voluntary"), "ordered": ("责令召回", "ordered")},
    "award_type": {
        "quality_award": ("质量奖", "quality award"),
        "brand": ("品牌", "brand"),
        "chief_quality_officer": ("首席质量官", "chief quality officer"),
        "standard_self_declaration": ("企业标准自我声明", "standard self-declaration"),
        "other": ("其他", "other"),
    },
    "licence_type": {
        "production_licence": ("生产许可证", "production licence"),
        "ccc": ("强制性产品认证（CCC）", "CCC certification"),
    },
    "state": {"open": ("办理中", "open"), "closed": ("已结案", "closed")},
}

TRIGGERS: dict[str, tuple[str, str]] = {
    "daily": ("每日重新评定", "daily re-grading"),
    "demo": ("载入演示数据", "demo data loaded"),
    "ruleset": ("规则版本变更", "rule set change"),
    "enterprise": ("企业信息登记或变更", "enterprise registered or changed"),
    "catalog": ("产品目录风险等级变更", "catalog risk level change"),
    "record": ("信用记录变化", "credit record change"),
    "recompute": ("批量重新评定", "bulk re-grading"),
    "blacklist.propose": ("拟列入名单", "listing proposed"),
    "blacklist.notify": ("列入前告知", "prior notice"),
    "blacklist.approve": ("列入审批", "listing approved"),
    "blacklist.list": ("列入名单", "listed"),
    "blacklist.publish": ("名单公示", "published"),
    "blacklist.remove": ("移出名单", "removed"),
    "blacklist.restore": ("恢复列入", "restored"),
    "blacklist.expire": ("期满移出", "expired"),
}


def script_messages(lang: str) -> dict[str, str]:
    """Words for the regulator script: ``v.<field>.<value>`` and ``trigger.<name>``."""
    i = 0 if lang == "zh" else 1
    out = {
        f"v.{field}.{value}": pair[i]
        for field, labels in VALUE_LABELS.items()
        for value, pair in labels.items()
    }
    out.update({f"trigger.{k}": pair[i] for k, pair in TRIGGERS.items()})
    return out


CODE_RULES: dict[str, tuple[str, str]] = {
    "uscc_check": ("校验位错误", "uscc_check"),
    "org_check": ("组织机构代码校验位错误", "org_check"),
    "length": ("长度错误", "length"),
    "charset": ("含不允许的字符", "charset"),
    "empty": ("代码为空", "empty"),
    "type": ("不是文本", "type"),
}
# Pass-rate group keys that are words, not codes (levels and the total row).
GROUP_KEYS: dict[str, tuple[str, str]] = {**VALUE_LABELS["level"], "total": ("合计", "total")}
