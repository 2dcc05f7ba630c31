"""Synthetic but plausible people: names, resident ID numbers, phone numbers."""
from __future__ import annotations

import random
from datetime import date, timedelta

from hr.workers.idcard import check_char

# Common surnames, weighted roughly by frequency in Shanghai.
SURNAMES = (
    "张王李陈刘杨黄赵吴周徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_F = "婷静丽敏燕艳娟霞芳颖琳雯佳怡欣悦蓉洁倩雪慧萍红玲丹晶璐岚莉蕾菁瑾"
GIVEN_M = "伟强磊军勇杰涛斌超明辉刚健峰俊浩宇翔鹏飞华林波亮毅晨昊凯彬骏"
GIVEN_ANY = "文建国春晓海志新永嘉子思一天雨立嘉振宏德佳亦云星承安宁瑞"


def name(rng: random.Random, gender: str) -> str:
    surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
    pool = GIVEN_F if gender == "女" else GIVEN_M
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    return surname + rng.choice(GIVEN_ANY + pool) + rng.choice(pool)


def id_number(rng: random.Random, area: str, birth: date, gender: str, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 1000)
        if (seq % 2 == 1) != (gender == "男"):
            seq = (seq + 1) % 1000
        first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_char(first17)
        if number not in used:
            used.add(number)
            return number


def phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + "".join(str(rng.randrange(10)) for _ in range(9))


def birth_date(rng: random.Random, on: date, mean_age: float = 38.0) -> date:
    age = min(58.0, max(22.0, rng.gauss(mean_age, 8.5)))
    return on - timedelta(days=int(age * 365.25) + rng.randrange(0, 365))


def bank_account(rng: random.Random) -> tuple[str, str]:
    banks = (("中国工商银行上海分行", "6222"), ("中国建设银行上海分行", "6217"), ("中国农业银行上海分行", "6228"),
             ("上海农商银行", "6231"), ("交通银行上海分行", "6222"), ("上海银行", "6229"))
    bank, prefix = rng.choice(banks)
    return bank, prefix + "".join(str(rng.randrange(10)) for _ in range(15))
