"""The longer texts of the Simplified Chinese catalogue: what each reason code means and what
to do about it, and the templates of the problems' Chinese summaries (one per named check,
or per variant of its finding: `check.variant`; the fields are filled by i18n.summaries)."""

from __future__ import annotations

# Every reason code of events/catalog.CONTRACT_REASONS, services/domain/errors.LIFECYCLE_REASONS
# and services/domain/compliance/ledger.LEDGER_REASONS: what happened, then what to do.
REASONS = {
    # the contract and the producer
    "NOT_JSON": "消息不是 JSON 格式。请以 UTF-8 编码的 JSON 对象发送事件。",
    "ENVELOPE_INVALID": "事件信封的字段缺失或格式错误。请按 envelope.json 填写信封的每个字段。",
    "UNKNOWN_EVENT_TYPE": "事件类型不存在。请使用 schemas 目录中列出的事件类型。",
    "UNSUPPORTED_SCHEMA_VERSION": "该事件类型不支持此版本号。请使用该类型 schema 中规定的版本。",
    "PAYLOAD_INVALID": "事件内容不符合其类型的 JSON Schema（如身份证号不是18位）。"
    "请按 schema 修正后重新发送。",
    "KEY_MISMATCH": "Kafka 消息键与信封中的户编号不一致。请以 household_id 作为消息键。",
    "SOURCE_UNKNOWN": "来源系统未在权限表中登记。请先在生产方权限表中登记该系统。",
    "PRODUCER_NOT_PERMITTED": "该来源系统无权发送此类事件。请由负责该环节的系统发送。",
    "SIGNATURE_MISSING": "消息没有签名。请用生产方密钥签名（dixian-producer 和 "
    "dixian-signature 消息头）。",
    "SIGNATURE_INVALID": "签名校验不通过。请用本系统自己的密钥对实际发送的字节签名。",
    "SOURCE_MISMATCH": "来源系统与签名的生产方不一致。source_system 必须是签名的生产方。",
    "DEPARTMENT_MISMATCH": "部门只能以本部门名义报送：内容中的 department 须与发送的来源系统"
    "（source_system）一致。其他部门的数据应由该部门报送。",
    "CORRECTION_TARGET_UNKNOWN": "要更正的记录不存在。只能更正同一农户已接收的事件。",
    "MESSAGE_TOO_LARGE": "消息超过大小上限（默认 1 MiB）。每条消息只发一个事件，"
    "文件材料请放入佐证材料库，不要放在事件中。",
    "JSON_TOO_DEEP": "JSON 嵌套层级过深。请按 schema 的结构发送信封和内容。",
    "TEXT_TOO_LONG": "某段文字超过长度上限（默认 10000 字）。长文档请作为佐证材料附上。",
    "TOO_MANY_MEMBERS": "登记的家庭成员超过上限（默认 100 人）。请检查成员名单是否误合并。",
    "TEXT_NOT_STORABLE": "文字中含有 NUL 字符或不成对的代理字符。请删除后重新发送。",
    "OCCURRED_IN_FUTURE": "事件时间晚于当前时间。请发送已发生的事件及其真实时间，"
    "并检查生产系统的时钟和时区。",
    "NO_CHECKPOINT": "尚无覆盖该事件的签名检查点。请先签署检查点（dixian audit checkpoint）。",
    "EVENT_NOT_LOGGED": "审计日志中没有该事件。请提供事件库中已有、且审计日志已收录的事件编号。",
    "BAD_SIZES": "日志规模不正确。请按“旧:新”给出两个已签名检查点的规模，且 0 < 旧 ≤ 新。",
    # the audit verification's findings and the witness's alarms
    "CHANGED": "事件库中该事件的内容与审计日志记录的不一致：事件被改动过。请立即报告纪检监察。",
    "REORDERED": "审计日志此位置记录的是另一事件：有事件被删除、插入或挪动。请立即报告纪检监察。",
    "REMOVED": "审计日志或检查点记录的事件多于事件库：有事件被删除。请立即报告纪检监察。",
    "LEAF_MISSING": "审计日志在此缺少一条记录，其后却还有记录：日志被删改过。请立即报告纪检监察。",
    "NOT_THROUGH_INTAKE": "有农户事件未经接收服务写入（直接写库）。请核查来源并报告纪检监察。",
    "UNLOGGED_TAIL": "事件库中有事件尚未进入审计日志。通常片刻即会收录；"
    "长时间存在时请运维人员检查。",
    "CHECKPOINT_MISMATCH": "已签名的检查点与按事件库重算的结果不符：历史被改写。"
    "请立即报告纪检监察。",
    "FORK": "同一规模有两个根哈希不同的可信检查点：历史被改写后重新签名。请立即报告纪检监察。",
    "KEY_NOT_TRUSTED": "检查点不是由配置的密钥（或其合法轮换后的密钥）签名的。请核对公钥配置。",
    "LOG_SHRANK": "较小的检查点签署于较大的检查点之后：日志被缩减。请立即报告纪检监察。",
    "NOT_EXTENDED": "新检查点不能延续见证方持有的日志：历史被改写。请立即报告纪检监察。",
    "UNPROVEN": "新检查点缺少从见证方所持规模起的一致性证明。请向运维人员索取证明；"
    "无法提供即为改写。",
    "HISTORICAL_IMPORT_NOT_PERMITTED": "该消息声明为历史数据导入（import_batch），但该批次未经"
    "登记许可。日常事件请勿填写 import_batch；迁移历史记录须先向县级运维人员申报批次编号。",
    "EVENT_ID_REUSED": "事件编号已被其他内容使用。每个事件使用新的编号；重发时内容必须完全一致，"
    "修改请发送更正事件（event_amended）。",
    "INTERNAL_ERROR": "接收服务处理此消息时发生意外错误，生产方无法自行解决。"
    "请凭拒收编号报告运维人员；消息已保存，修复后可重新发送。",
    "STORE_REFUSED": "事件库拒绝保存此消息的数据（原因中注明字段）。"
    "请修正该字段后以新的事件编号重新发送。",
    # the lifecycle of a household
    "HOUSEHOLD_NOT_REGISTERED": "该农户尚未登记。请先发送农户登记（household_registered）。",
    "HOUSEHOLD_ALREADY_REGISTERED": "该农户已登记。请改为发送成员或走访等事件。",
    "MEMBER_ALREADY_PRESENT": "此人已是家庭成员。请发送成员变更（member_changed）。",
    "MEMBER_NOT_FOUND": "此人不是家庭成员。请先发送新增成员（member_added）。",
    "LEAD_ALREADY_REGISTERED": "该风险线索编号已在办理中。请使用新的线索编号。",
    "IDENTIFICATION_ALREADY_OPEN": "该户已有风险线索在识别认定中。请先办结，或将风险并入该线索。",
    "CASE_ID_IN_USE": "已有同编号的风险线索在办理中。请为风险消除另起编号。",
    "CASE_NOT_OPEN": "所指的风险线索或风险消除不在办理中。请核对案件编号。",
    "NOTICE_ALREADY_POSTED": "该案件已公示过。同一案件只公示一次。",
    "NOTICE_NOT_FOUND": "公示编号不属于办理中的案件。请核对公示编号。",
    "NOTICE_CLOSED": "公示已结束。异议只能在公示期间提出。",
    "OBJECTION_NOT_FOUND": "该异议不存在或已处理。只能处理已提出且未处理的异议。",
    "NOTICE_NOT_CLOSED": "公示尚未结束。乡镇审核须在村内公示结束后进行。",
    "NOTICE_NOT_RUN": "案件的村内公示尚未进行或尚未结束。县级审定须在公示结束后进行。",
    "NOTICE_TOO_SHORT": "村内公示天数少于规定（R4.1）。请公示足够天数后再审定。",
    "OBJECTION_OPEN": "公示异议尚未处理。请先处理全部异议，再进行县级审定。",
    "ALREADY_MONITORED": "该户已是监测对象。风险消除前不能再次识别。",
    "NEVER_IDENTIFIED": "该户未被识别为监测对象。帮扶计划和措施须在识别后制定。",
    "MEASURE_ALREADY_STARTED": "该帮扶措施编号已使用。请使用新的措施编号。",
    "MEASURE_NOT_FOUND": "该帮扶措施未落实。只能核实或结束已落实的措施。",
    "MEASURE_ALREADY_ENDED": "该帮扶措施已经结束。",
    "NOT_MONITORED": "该户不是监测对象。只有监测对象才能提出风险消除、消除或标注。",
    "SAFETY_NET_MARKED": "该户已标注兜底保障，暂不消除风险（R7.1）。如标注不再适用，请先取消标注。",
    "ELIMINATION_ALREADY_OPEN": "该户已有风险消除在办理中。",
    "NOT_ELIMINATED": "只能回退该户最近一次且仍有效的风险消除。",
    "SAFETY_NET_ALREADY_MARKED": "该户已标注兜底保障。",
    "SAFETY_NET_NOT_MARKED": "该户未标注兜底保障。",
    "CORRECTION_NOT_ALLOWED": "只能由原记录系统（或县级）更正记录的事实；"
    "决定须以其自身事件撤销（如风险消除回退、取消标注）。",
    # the compliance ledger
    "PROBLEM_NOT_FOUND": "台账中没有该问题。请给出问题编号或其唯一的前 8 位以上。",
    "ROLE_NOT_AUTHORISED": "您的角色无权销号或重新打开问题。请由配置规定的角色办理。",
    "EVIDENCE_REQUIRED": "缺少佐证材料。请至少提供一份佐证（文件、照片或记录）。",
    "RECTIFICATION_REQUIRED": "尚未记录整改措施。请先记录整改措施及佐证，再销号。",
    "FACTS_STILL_SHOW_PROBLEM": "事实仍显示该问题存在。请先以新事件更正事实，再次排查后销号。",
    "PROBLEM_CLOSED": "该问题已销号。如需继续处理，请先重新打开。",
    "PROBLEM_MERGED": "该问题已按户归并到同一规则、同一原因的问题中。请处理归并后的问题。",
    "PROBLEM_NOT_CLOSED": "该问题未销号。只有已销号的问题才能重新打开。",
    "DEADLINE_BEFORE_PLAN": "整改时限早于计划制定日期。请把时限定在计划当日或之后。",
    "LEDGER_CHANGED_MEANWHILE": "办理期间有人修改了该问题（或进行了排查），本次未保存。"
    "请重新办理。",
}

# The Chinese summary of a problem, by its check (and variant): the fields are the named
# groups i18n.summaries reads from the finding's stored summary, its scope and subject.
SUMMARIES = {
    "application_leaflet_missing": "未发放防止返贫监测对象申报政策明白纸",
    "application_leaflet_late": "申报政策明白纸应于{due}前发放，{on}才发放",
    "assistance_leaflet_late": "帮扶政策明白纸应于{due}前发放，{on}才发放",
    "alert_followed_up_late": "{department}于{on}推送的风险预警{alert}（{risk_type}），"
    "{lead_on}才转为风险线索",
    "allowance_recipient_screened_late": "{granted}{fact_kind}，{on}才按监测对象认定条件排查",
    "allowance_recipient_not_identified": "{granted}{fact_kind}，{on}排查人均纯收入{income}元，"
    "低于监测线{line}元，未识别为监测对象",
    "township_review_before_notice_closed": "{case_kind}{case}在村内公示结束前即进行乡镇审核",
    "decided_with_objection_open": "{case_kind}{case}的公示异议尚未处理即作出决定",
    "decided_before_notice_closed": "{case_kind}{case}在村内公示结束前即作出决定",
    "safety_net_marked_late": "整户无劳动能力，自{since}纳入监测，{on}才标注兜底保障",
    "id_number_invalid": "成员{person}的身份证号码校验位错误",
    "person_in_two_households": "成员{person}的身份证号码同时登记为农户{households}的成员",
    "assistance_leaflet_missing": "已纳入监测，未发放主要帮扶政策明白纸",
    "awareness_below_threshold": "调查{survey}：{answered}户中{aware}户知晓政策，"
    "知晓率{rate}，低于{threshold}",
    "monthly_visit_missing.last": "{month}未走访（上次走访：{last}）",
    "monthly_visit_missing.never": "{month}未走访（从未走访）",
    "yearly_screening_missing": "{year}年未开展集中排查",
    "allowance_recipient_not_screened": "{on}{fact_kind}，未按监测对象认定条件排查",
    "allowance_recipient_refused": "新增低保特困对象人均纯收入{income}元，低于监测线{line}元，"
    "风险线索{case}却被排除",
    "record_backfilled": "{by}于{on}的{visit_kind}，{days}天后才录入（补录）",
    "recorded_time_claimed_early": "{by}于{on}的{visit_kind}：应用声称{claimed}已录入，"
    "系统{days}天后才收到",
    "risk_not_reported": "{by}于{on}{visit_kind}发现风险（{risks}），未登记风险线索",
    "implausible_visit_count": "{by}在{on}一天录入{count}次走访、排查",
    "identical_notes": "同一段走访记录（摘要{digest}）出现在{count}户的记录中",
    "alert_pushed_late": "农户{household}的风险预警{alert}（{risk_type}）"
    "在风险发生{days}天后才推送",
    "alert_not_followed_up": "{department}于{on}推送的风险预警{alert}（{risk_type}）未转为风险线索",
    "decision_late": "{case_kind}{case}自{opened}启动，{days}天后才作出决定",
    "decision_overdue": "{case_kind}{case}自{opened}启动，逾期仍未作出决定",
    "notice_too_short": "风险线索{case}的村内公示{notice}仅公示{days}天",
    "identified_without_notice": "风险线索{case}未经村内公示即识别为监测对象",
    "eligible_not_identified.income": "{on}核算人均纯收入{income}元，低于监测线{line}元，"
    "{days}天内未登记风险线索",
    "eligible_not_identified.fact": "{department}于{on}报告{fact_kind}，{days}天内未登记风险线索",
    "eligible_dismissed": "人均纯收入{income}元，低于监测线{line}元，风险线索{case}却被排除",
    "plan_late": "识别为监测对象{days}天后才制定帮扶计划",
    "plan_missing": "自{on}识别为监测对象以来未制定帮扶计划",
    "measure_does_not_fit_risk": "帮扶措施“{measure_type}”不针对其风险（{risks}）",
    "measure_needs_labour": "对无劳动能力家庭安排了需要劳动力的帮扶措施“{measure_type}”",
    "measure_not_verified": "{on}落实的帮扶措施“{measure_type}”（{measure}）从未核实",
    "measure_verified_late": "帮扶措施“{measure_type}”（{measure}）迟至{on}才核实",
    "verification_without_evidence.evidence": "帮扶措施“{measure_type}”（{measure}）"
    "核实时没有佐证材料",
    "verification_without_evidence.self": "帮扶措施“{measure_type}”（{measure}）由落实人自行核实",
    "amount_not_in_income": "帮扶措施“{measure_type}”（{measure}）的{amount}元"
    "未体现在{on}收入核算的{component}中",
    "eligible_not_eliminated": "自{since}纳入监测，{on}核算人均纯收入{income}元，"
    "不低于监测线{line}元，措施均已核实，未按程序消除风险",
    "elimination_late": "{case_kind}{case}自{opened}启动，{days}天后才作出决定",
    "elimination_stalled": "{case_kind}{case}自{opened}启动，逾期仍未作出决定",
    "eliminated_below_line.none": "风险消除{case}时没有收入核算（监测线{line}元）",
    "eliminated_below_line": "风险消除{case}时人均纯收入{income}元，低于监测线{line}元",
    "eliminated_too_soon": "识别为监测对象仅{days}天即消除风险（{case}）",
    "elimination_notice_missing_or_short.short": "风险消除{case}的村内公示仅{days}天",
    "elimination_notice_missing_or_short.missing": "风险消除{case}未经村内公示",
    "safety_net_not_marked": "整户无劳动能力，自{since}纳入监测，{days}天内未标注兜底保障",
    "safety_net_household_eliminated.marked": "整户无劳动能力且已标注兜底保障的家庭"
    "被消除风险（{case}）",
    "safety_net_household_eliminated": "整户无劳动能力家庭被消除风险（{case}）",
    "safety_net_household_eliminated.marked_only": "已标注兜底保障的家庭被消除风险（{case}）",
    "income_inconsistent": "按各项收入计算人均纯收入为{computed}元，记录为{recorded}元",
    "income_members_mismatch": "收入按{counted}人计算，家庭实有{members}人",
    "income_not_current": "自{since}以来未开展收入核算",
    "relative_identified": "干部{cadre}的{relation}（{person}，农户{household}）"
    "经风险线索{case}被识别为监测对象",
    "relative_assisted": "干部{cadre}的{relation}（{person}，农户{household}）"
    "获得帮扶措施“{measure_type}”（{measure}）",
    "relative_kept_on": "干部{cadre}的{relation}（{person}，农户{household}）"
    "符合风险消除条件却未消除",
    "cadre_acted_on_relative_case": "干部{cadre}经办其{relation}（{person}，农户{household}）"
    "的案件{case}",
}
