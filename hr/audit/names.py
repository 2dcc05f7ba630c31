"""How the audit log reads to people: Chinese names of the recorded object kinds."""
from __future__ import annotations

OBJECT_NAMES: dict[str, str] = {
    "worker": "职工",
    "assignment": "岗位等级",
    "assessment": "年度考核",
    "promotion": "年度晋级",
    "payroll_run": "工资发放",
    "payslip": "工资条",
    "adjustment": "补发补扣",
    "declaration": "专项附加扣除",
    "base_override": "缴费基数调整",
    "tax_option": "个税选项",
    "pay_profile": "公积金比例",
    "pay_scale": "工资标准",
    "rate_version": "缴费比例",
    "contribution_bounds": "缴费基数上下限",
    "tax_table": "个税税率表",
    "district_setting": "区设置",
    "district": "区",
    "street": "街镇",
    "committee": "居委会",
    "user": "用户",
    "api_token": "API 令牌",
    "api": "API",
    "job": "导出任务",
    "studio": "书记工作室",
    "studio_member": "工作室成员",
    "cohort": "带教年度",
    "cohort_file": "带教材料",
    "pairing": "结对带教",
    "mentoring_activity": "带教活动",
    "workforce_stats": "队伍统计",
    "audit_entry": "审计日志",
    "opening_balance": "期初累计",
}


def object_name(kind: str) -> str:
    return OBJECT_NAMES.get(kind, "其他")
