"""The register's fields: one definition shared by forms, imports, exports and the audit log."""
from __future__ import annotations

# field -> label; the import/export headers are these labels, in this order.
LABELS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "education": "学历",
    "political_status": "政治面貌",
    "qualification": "职业资格",
    "qualification_date": "资格取得日期",
    "hire_date": "入职日期",
    "prior_years": "社区工作年限",
    "street": "街镇",
    "committee": "居委会",
    "shiye": "事业待遇",
    "reserve_cadre": "后备干部",
    "bank_name": "开户行",
    "bank_account": "银行账号",
    "post": "岗位",  # post and grade in force (hr.grades.register)
    "grade": "等级",
    "first_job": "首次参加工作",  # optional last column: 是/否
}
HEADERS = list(LABELS.values())
OPTIONAL_HEADERS = ("岗位", "等级", "首次参加工作")  # an import file may leave these columns out

# Labels of the other audited fields.
EXTRA_LABELS = {
    "committee_id": "居委会",
    "status": "状态",
    "leave_date": "离职日期",
    "leave_reason": "离职原因",
}


def label(field: str) -> str:
    return LABELS.get(field) or EXTRA_LABELS.get(field) or field
