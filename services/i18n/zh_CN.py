"""The Simplified Chinese catalogue (简体中文): every label, status, rule name, code-table
value, sheet name and column header a person reads, by key. The code tables and event types
are in `zh_CN_codes`, reason codes' explanations and the problems' summary templates in
`zh_CN_texts`. Keys are `section.name`; a value of a code table is
`code.<TableName>.<value>` (events/codes.py)."""

from __future__ import annotations

from services.i18n import zh_CN_national as national
from services.i18n.zh_CN_codes import CODES, EVENT_TYPES, SOURCE_SYSTEMS
from services.i18n.zh_CN_texts import REASONS, SUMMARIES
from services.i18n.zh_CN_web import WEB

# The campaign's rules (seed §三; DOMAIN.md): the ids stay as they are.
RULES = {
    "R1.1": "防止返贫监测对象申报政策明白纸发放至所有农户",
    "R1.2": "主要帮扶政策明白纸发放至所有监测对象",
    "R1.3": "群众对防返贫相关政策知晓率达到95%",
    "R2.1": "每月对脱贫户、监测对象走访不少于1次",
    "R2.2": "每年对全体农户开展至少一次集中排查",
    "R2.3": "2024年1月1日以来新增低保对象和分散供养特困人员逐户排查，"
    "符合条件的识别为监测对象，杜绝以落实低保为由不识别",
    "R2.4": "每次走访和排查后如实、及时纪实，上报存在风险情况",
    "R3.1": "行业部门在时限要求之内推送已发生的风险线索",
    "R3.2": "推送的风险预警及时跟进，核实为风险线索或说明理由排除",
    "R4.1": "从发现风险线索之日起识别认定不超过15天，其中村内公示不少于5天",
    "R4.2": "符合监测对象条件的农户及时识别，应纳尽纳，不漏一户",
    "R5.1": "新识别的监测对象原则上在10天内完成帮扶计划制定和措施申报",
    "R5.2": "根据返贫致贫风险和家庭成员劳动能力因人因户制定帮扶措施，实施精准帮扶",
    "R5.3": "帮扶措施落实到位并核实，杜绝数字帮扶",
    "R6.1": "符合风险消除条件的监测户通过规范程序应消尽消",
    "R6.2": "不符合风险消除条件的监测户不得消除风险",
    "R7.1": "整户无劳动能力兜底保障户应标尽标，暂不消除风险",
    "R8.1": "农户基础信息、收入信息、就业信息、帮扶信息等系统数据精准详实",
    "F1.1": "干部亲属被识别为监测对象（优亲厚友）",
    "F1.2": "干部亲属获得帮扶措施（优亲厚友）",
    "F1.3": "干部亲属符合条件却未消除风险（优亲厚友）",
    "F1.4": "干部经办其亲属的识别、核实或审核（优亲厚友）",
}

# The areas of the seed's §三: the screening-task ledger's eight lines, and favoritism.
AREAS = {
    "publicity": "防返贫宣传",
    "visits": "日常走访和集中排查",
    "alerts": "风险预警推送",
    "inclusion": "监测对象纳入",
    "assistance": "帮扶及时精准",
    "elimination": "风险消除",
    "safety net": "兜底保障标注",
    "data": "系统数据",
    "favoritism": "优亲厚友",
}

# The named checks (services/domain/compliance/checks/, county.py).
CHECKS = {
    "application_leaflet_missing": "未发放申报政策明白纸",
    "application_leaflet_late": "申报政策明白纸发放超时",
    "assistance_leaflet_late": "帮扶政策明白纸发放超时",
    "alert_followed_up_late": "风险预警跟进超时",
    "allowance_recipient_screened_late": "新增低保特困对象排查超时",
    "allowance_recipient_not_identified": "新增低保特困对象符合条件未识别",
    "township_review_before_notice_closed": "公示结束前即乡镇审核",
    "decided_with_objection_open": "公示异议未处理即审定",
    "decided_before_notice_closed": "公示结束前即审定",
    "safety_net_marked_late": "兜底保障标注超时",
    "id_number_invalid": "身份证号码校验位错误",
    "person_in_two_households": "同一人员在两户登记",
    "assistance_leaflet_missing": "未发放帮扶政策明白纸",
    "awareness_below_threshold": "政策知晓率未达标",
    "monthly_visit_missing": "当月未走访",
    "yearly_screening_missing": "当年未集中排查",
    "allowance_recipient_not_screened": "新增低保特困对象未排查",
    "allowance_recipient_refused": "以落实低保为由未识别",
    "record_backfilled": "走访记录补录",
    "recorded_time_claimed_early": "录入时间早报",
    "risk_not_reported": "发现风险未上报",
    "implausible_visit_count": "单日走访次数异常",
    "identical_notes": "走访记录雷同",
    "alert_pushed_late": "风险预警推送超时",
    "alert_not_followed_up": "风险预警未跟进",
    "decision_late": "识别认定超时",
    "decision_overdue": "识别认定逾期未决",
    "notice_too_short": "村内公示天数不足",
    "identified_without_notice": "未经公示即识别认定",
    "eligible_not_identified": "符合条件未纳入监测",
    "eligible_dismissed": "符合条件却被排除",
    "plan_late": "帮扶计划制定超时",
    "plan_missing": "未制定帮扶计划",
    "measure_does_not_fit_risk": "帮扶措施与风险不匹配",
    "measure_needs_labour": "帮扶措施与劳动能力不匹配",
    "measure_not_verified": "帮扶措施未核实",
    "measure_verified_late": "帮扶措施核实超时",
    "verification_without_evidence": "核实无佐证或自核自验",
    "amount_not_in_income": "帮扶资金未计入收入",
    "eligible_not_eliminated": "符合条件未消除风险",
    "elimination_late": "风险消除超时",
    "elimination_stalled": "风险消除程序停滞",
    "eliminated_below_line": "收入低于监测线即消除风险",
    "eliminated_too_soon": "监测时间不足即消除风险",
    "elimination_notice_missing_or_short": "风险消除未公示或公示不足",
    "safety_net_not_marked": "兜底保障户未标注",
    "safety_net_household_eliminated": "兜底保障户被消除风险",
    "income_inconsistent": "收入数据不一致",
    "income_members_mismatch": "收入核算人数与家庭人数不符",
    "income_not_current": "收入数据未及时更新",
    "relative_identified": "干部亲属被识别为监测对象",
    "relative_assisted": "干部亲属获得帮扶",
    "relative_kept_on": "干部亲属符合条件未消除风险",
    "cadre_acted_on_relative_case": "干部经办亲属案件",
}

CONCERNS = {"favoritism": "优亲厚友", "perfunctory": "走过场", "paper_only": "数字帮扶"}

# A problem's status (ledger.py), and what its ledger shows beside it.
STATUSES = {
    "open": "待整改",
    "rectifying": "整改中",
    "rectified": "已整改",
    "closed": "已销号",
    "resolved": "事实已消除",
    "overdue": "已逾期",
    "resolved_by_facts": "事实已消除",
    "merged": "已并入同户问题",
}

# The steps of a problem's history (Problem.history).
LEDGER_STEPS = {
    "raised": "发现问题",
    "resolved by the facts": "事实已消除",
    "found again": "再次发现",
    "planned": "制定整改计划",
    "action": "整改措施",
    "closed out": "销号",
    "reopened": "重新打开",
    "occurrences found": "新发现同类情形",
    "occurrences resolved": "部分情形事实已消除",
    "occurred again": "整改后再次发生",
    "merged": "并入同户问题",
    "NationalRun.Completed": "导入或比对全国系统数据",
}

# The screening-task ledger's status of an area, and a campaign phase's.
TASK_STATUSES = {
    "not screened": "未排查",
    "problems without a plan": "有问题未制定整改计划",
    "rectifying": "整改中",
    "done": "已完成",
}
PHASE_STATUSES = {"done": "已完成", "under way": "进行中", "ahead": "未开始"}

# The campaign's three phases (seed §四), in order (ComplianceParams.phases).
PHASES = {
    "1": "第一阶段：聚焦重点，自查自纠",
    "2": "第二阶段：建立机制，巩固成果",
    "3": "第三阶段：总结归纳，宣传引导",
}

# What a problem is about (Finding.subject_type).
SUBJECT_TYPES = {
    "household": "农户",
    "village": "村",
    "township": "乡镇",
    "cadre": "干部",
    "department": "行业部门",
}

# A household's monitoring status (household_state) and the step of its open case.
MONITORING_STATUSES = {
    "not_monitored": "未纳入监测",
    "monitored": "监测对象",
    "risk_eliminated": "风险已消除",
}
CASE_STEPS = {
    "lead": "风险线索",
    "consent": "入户核实、承诺授权",
    "village_review": "村级民主评议",
    "public_notice": "村内公示",
    "notice_closed": "公示结束",
    "township_review": "乡镇审核",
    "proposed": "提出风险消除",
}
VISIT_KINDS = {"visit": "走访", "screening": "排查"}

# The income components of an assessment (events/household.py IncomeComponents).
INCOME_COMPONENTS = {
    "wages": "工资性收入",
    "production_and_business": "生产经营性收入",
    "property": "财产性收入",
    "pensions": "养老金",
    "minimum_living_allowance": "低保金",
    "extreme_poverty_support": "特困供养金",
    "eco_compensation": "生态补偿金",
    "other_transfers": "其他转移性收入",
}

# Sheet names (at most 31 characters) and the title of each workbook.
SHEETS = {
    "screening_tasks": "排查任务台账",
    "suspected_problems": "疑似问题台账",
    "rectification": "整改工作台账",
    "by_rule": "问题统计",
    "coverage": "走访排查覆盖",
    "phases": "阶段进展",
}
TITLES = {
    "as_of": "截至{day}",
    "ledgers": "防止返贫动态监测帮扶专项整治台账",
    "report": "防止返贫动态监测帮扶专项整治情况统计",
    "whole_county": "全县各乡镇",
    "by_county": "按县统计",
    "by_township": "按乡镇统计",
    "by_village": "按村统计",
}
# Texts of the rectification ledger's steps.
LEDGER_TEXTS = {
    "planned": "{plan}（整改时限：{deadline}）",
    "system": "系统排查",
    "repeated": "{check}，共{count}次",
    "detail": "{text}（系统记录：{detail}）",
    "merged": "按户归并，并入问题{problem}",
}

# Column headers of the ledgers and the report.
COLUMNS = {
    "seq": "序号",
    "county": "县（区）",
    "township": "乡镇",
    "village": "村",
    "unit": "单位",
    "unit_code": "区划代码",
    "area": "排查内容",
    "rules": "对应规则",
    "screened_on": "排查日期",
    "households": "农户数",
    "findings_in_sweep": "本次排查发现",
    "problems": "疑似问题数",
    "open": "未销号",
    "closed": "已销号",
    "overdue": "已逾期",
    "status": "状态",
    "subject": "户编号/对象",
    "head": "户主",
    "rule": "规则",
    "rule_name": "规则内容",
    "check": "问题类型",
    "concern": "问题性质",
    "summary": "问题描述",
    "periods": "涉及期间",
    "count": "次数",
    "found_on": "发现日期",
    "occurrence": "发生期间",
    "due_on": "应完成日期",
    "raised_on": "发现日期",
    "responsible_unit": "责任单位",
    "plan": "整改措施",
    "deadline": "整改时限",
    "responsible_person": "责任人",
    "is_overdue": "是否逾期",
    "resolved_by_facts_on": "事实消除日期",
    "closed_on": "销号日期",
    "problem": "问题编号",
    "step": "整改环节",
    "on": "日期",
    "by": "经办人",
    "what": "内容",
    "evidence": "佐证材料",
    "found": "发现问题",
    "rectified": "已整改",
    "as_of": "统计日期",
    "monthly_visits": "月度走访率",
    "screened_this_year": "年度排查率",
    "application_leaflets": "申报政策明白纸发放率",
    "assistance_leaflets": "帮扶政策明白纸发放率",
    "awareness": "政策知晓率",
    "phase": "阶段",
    "ends_on": "截止日期",
    "counted_to": "统计至",
}

# The projections (projections/registry.py), as the operators' 系统 page names them.
PROJECTIONS = {
    "household_state": "农户当前状态",
    "audit_trail": "农户审计轨迹",
    "audit_log": "审计日志（哈希链）",
    "ledger_trail": "台账办理轨迹",
    "problem_ledger": "问题台账",
    "personal_data_reads": "个人信息查阅记录",
}

# What a personal-data read looked at (services/domain/reads.py READ_KINDS).
READS = {
    "household history": "查看农户档案",
    "household search by name": "按姓名查找农户",
    "public notice": "打印村内公示",
    "audit prove": "导出收录证明",
}

WORDS = {"yes": "是", "no": "否", "and": "、", "span": "{first}至{last}"}

# How the ledgers name the unit responsible (Finding.responsible).
RESPONSIBLE = {
    "village_committee": "{village}村民委员会",
    "township_government": "{township}人民政府",
    "department": "{department}",
    "discipline_inspection": "县纪委监委（纪检监察）",
}


def _flat() -> dict[str, str]:
    sections: dict[str, dict[str, str]] = {
        "rule": RULES,
        "area": AREAS,
        "check": CHECKS | national.CHECKS,
        "national_reason": national.ROW_REASONS,
        "national": national.TEXTS,
        "concern": CONCERNS,
        "status": STATUSES,
        "ledger_step": LEDGER_STEPS,
        "task_status": TASK_STATUSES,
        "phase_status": PHASE_STATUSES,
        "phase": PHASES,
        "subject_type": SUBJECT_TYPES,
        "monitoring_status": MONITORING_STATUSES,
        "case_step": CASE_STEPS,
        "visit_kind": VISIT_KINDS,
        "income_component": INCOME_COMPONENTS,
        "event_type": EVENT_TYPES,
        "source_system": SOURCE_SYSTEMS,
        "projection": PROJECTIONS,
        "read": READS,
        "sheet": SHEETS,
        "title": TITLES,
        "column": COLUMNS,
        "word": WORDS,
        "ledger_text": LEDGER_TEXTS,
        "responsible": RESPONSIBLE,
        "reason": REASONS,
        "summary": SUMMARIES,
        "web": WEB,
        **{f"code.{table}": values for table, values in CODES.items()},
    }
    return {f"{s}.{k}": v for s, entries in sections.items() for k, v in entries.items()}


CATALOGUE: dict[str, str] = _flat()
