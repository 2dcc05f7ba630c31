"""The pay-scale reference page as officers read it: rates as percentages, amounts with
thousands separators, no internal account names."""
from tests.helpers.web import text


def test_reference_page_shows_percentages_and_separators(client_as):
    admin = client_as("admin")
    html = text(admin.get("/payroll/reference/"))
    assert "seed" not in html and "系统初始数据" in html
    rates = html.split("缴费费率")[1].split("</table>")[0]
    assert ">8%<" in rates and ">0.08<" not in rates and ">0.5%<" in rates
    scales = html.split("岗位等级工资标准")[1].split("</table>")[0]
    assert ">8,790<" in scales and ">15%<" in scales
