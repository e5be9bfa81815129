"""The Chinese of the national system's import and comparison: why a row cannot be imported,
the comparison's checks, the reports' sheets."""

from __future__ import annotations

ROW_REASONS = {
    "HOUSEHOLD_ID_INVALID": "户编号为空或格式不正确",
    "PERSON_ID_MISSING": "人编号为空",
    "NAME_MISSING": "姓名为空",
    "ID_NUMBER_INVALID": "证件号码无法识别（不是17位数字加一位数字或X的18位身份证号码）",
    "DATE_INVALID": "日期列的值不是日期",
    "NUMBER_INVALID": "数值列的值不是数字或超出范围",
    "VALUE_UNKNOWN": "代码列的值无法识别",
    "VILLAGE_CODE_UNKNOWN": "无法确定该户所在行政村的12位区划代码",
    "PERSON_ID_REPEATED": "同一户内人编号重复",
    "HEAD_MISSING": "该户的户主行缺失或无法导入，其成员无法导入",
    "ID_NUMBER_IN_TWO_HOUSEHOLDS": "同一证件号码出现在两户中",
    "OUTSIDE_SCOPE": "该户所在村不在上传账号的管辖范围内",
}

CHECKS = {
    "national_household": "全国系统与底线系统的农户不一致（一方有户、另一方无）",
    "national_household_type": "户类型与全国系统不一致",
    "national_status": "监测状态与全国系统不一致",
    "national_category": "监测对象类型与全国系统不一致",
    "national_risks": "风险类型与全国系统不一致",
    "national_eliminated_on": "风险消除时间与全国系统不一致",
    "national_income": "人均纯收入与最近一次收入核算不一致",
    "national_unsafe_housing": "住房安全情况与全国系统不一致",
    "national_unsafe_water": "饮水安全情况与全国系统不一致",
    "national_member": "家庭成员与全国系统不一致",
    "national_id_number": "成员证件号码与全国系统不一致",
    "national_labour_capacity": "成员劳动技能与全国系统不一致",
}

TEXTS = {
    "import_report": "全国系统导出数据校验报告",
    "compare_report": "全国系统数据比对报告",
    "summary": "汇总",
    "bad_rows": "无法导入的行",
    "unimportable": "无法以事件导入的变化",
    "check_digit_sheet": "校验位错误的证件号码",
    "differences": "差异明细",
    "by_township": "按乡镇和项目统计",
    "rows": "文件数据行数",
    "rows_imported": "可导入的行数",
    "rows_bad": "无法导入的行数",
    "check_digit_wrong": "证件号码校验位错误的成员（已照录导入，由R8.1数据质量核查发现）",
    "households": "户数",
    "households_new": "新登记的户",
    "households_changed": "有变化的户",
    "households_unchanged": "无变化的户",
    "events": "事件数",
    "households_compared": "比对的户数",
    "households_agreeing": "完全一致的户数",
    "differences_found": "差异数",
    "unknown_headers": "未识别的列（已忽略）",
}
