#!/usr/bin/env python3
"""Regenerate committees.csv (居委会 / 村委会) from streets.csv.

Deterministic: the same streets.csv always gives the same committees.csv.
Run from anywhere:  python3 seed/data/make_committees.py

What is real and what is generated (see README.md):
  * the city totals (4,286 居委会, 1,588 村委会) are the seed article's figures;
  * the per-district totals and per-street shape below are estimates, made to
    follow each district's population and rural character, not official counts;
  * the few names in REAL_NAMES come from public sources (see README.md);
    every other committee name is generated.

Codes: 12 digits = 9-digit street code + 3 digits; 居委会 001-199, 村委会 200-399,
numbered in output order within each street.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
STREETS_CSV = HERE / "streets.csv"
OUT_CSV = HERE / "committees.csv"

SEED = "shequ-seed-2024"          # fixed; each street gets its own stream
TOTAL_JU = 4286                   # 居委会, seed article
TOTAL_CUN = 1588                  # 村委会, seed article

# District totals (居委会, 村委会): estimates proportional to population and
# rural character. Must sum to the city totals above.
DISTRICT_TOTALS: dict[str, tuple[int, int]] = {
    "310101": (175, 0),    # 黄浦
    "310104": (301, 0),    # 徐汇
    "310105": (185, 0),    # 长宁
    "310106": (265, 0),    # 静安
    "310107": (255, 0),    # 普陀
    "310109": (205, 0),    # 虹口
    "310110": (300, 0),    # 杨浦
    "310112": (420, 118),  # 闵行
    "310113": (370, 105),  # 宝山
    "310114": (235, 150),  # 嘉定
    "310115": (950, 365),  # 浦东
    "310116": (85, 124),   # 金山
    "310117": (230, 94),   # 松江
    "310118": (135, 184),  # 青浦
    "310120": (115, 175),  # 奉贤
    "310151": (60, 273),   # 崇明
}

# Rough shape inside each district: street name -> (居委会 weight, 村委会 weight).
# Weights are scaled to the district totals by largest remainder. A street not
# listed gets (20, 0) for 街道, (20, 10) for 镇, (1, 10) for 乡.
SHAPE: dict[str, dict[str, tuple[int, int]]] = {
    "310101": {"南京东路街道": (16, 0), "外滩街道": (15, 0), "半淞园路街道": (20, 0),
               "小东门街道": (17, 0), "豫园街道": (15, 0), "老西门街道": (17, 0),
               "五里桥街道": (20, 0), "打浦桥街道": (18, 0), "淮海中路街道": (17, 0),
               "瑞金二路街道": (19, 0)},
    "310104": {"天平路街道": (20, 0), "湖南路街道": (16, 0), "斜土路街道": (22, 0),
               "枫林路街道": (24, 0), "长桥街道": (31, 0), "田林街道": (28, 0),
               "虹梅路街道": (20, 0), "康健新村街道": (25, 0), "徐家汇街道": (20, 0),
               "凌云路街道": (30, 0), "龙华街道": (22, 0), "漕河泾街道": (23, 0),
               "华泾镇": (25, 0)},
    "310105": {"华阳路街道": (18, 0), "江苏路街道": (16, 0), "新华路街道": (18, 0),
               "周家桥街道": (18, 0), "天山路街道": (20, 0), "仙霞新村街道": (19, 0),
               "虹桥街道": (17, 0), "程家桥街道": (16, 0), "北新泾街道": (16, 0),
               "新泾镇": (28, 0)},
    "310106": {"江宁路街道": (18, 0), "石门二路街道": (15, 0), "南京西路街道": (16, 0),
               "静安寺街道": (15, 0), "曹家渡街道": (18, 0), "天目西路街道": (15, 0),
               "北站街道": (16, 0), "宝山路街道": (17, 0), "共和新路街道": (20, 0),
               "大宁路街道": (22, 0), "彭浦新村街道": (22, 0), "临汾路街道": (18, 0),
               "芷江西路街道": (17, 0), "彭浦镇": (36, 0)},
    "310107": {"曹杨新村街道": (25, 0), "长风新村街道": (26, 0), "长寿路街道": (22, 0),
               "甘泉路街道": (20, 0), "石泉路街道": (22, 0), "宜川路街道": (22, 0),
               "万里街道": (18, 0), "真如镇街道": (25, 0), "长征镇": (42, 0),
               "桃浦镇": (33, 0)},
    "310109": {"欧阳路街道": (21, 0), "曲阳路街道": (28, 0), "广中路街道": (26, 0),
               "嘉兴路街道": (28, 0), "凉城新村街道": (27, 0), "四川北路街道": (30, 0),
               "北外滩街道": (25, 0), "江湾镇街道": (20, 0)},
    "310110": {"定海路街道": (25, 0), "平凉路街道": (22, 0), "江浦路街道": (22, 0),
               "四平路街道": (24, 0), "控江路街道": (26, 0), "长白新村街道": (22, 0),
               "延吉新村街道": (22, 0), "殷行街道": (34, 0), "大桥街道": (24, 0),
               "五角场街道": (30, 0), "新江湾城街道": (16, 0), "长海路街道": (30, 0)},
    "310112": {"江川路街道": (27, 0), "古美街道": (28, 0), "新虹街道": (16, 0),
               "莘庄镇": (55, 4), "七宝镇": (50, 9), "颛桥镇": (40, 10),
               "华漕镇": (30, 14), "虹桥镇": (40, 4), "梅陇镇": (50, 10),
               "吴泾镇": (25, 8), "马桥镇": (25, 17), "浦江镇": (60, 42)},
    "310113": {"友谊路街道": (28, 0), "吴淞街道": (22, 0), "张庙街道": (30, 0),
               "罗店镇": (35, 22), "大场镇": (55, 5), "杨行镇": (35, 15),
               "月浦镇": (30, 17), "罗泾镇": (12, 25), "顾村镇": (50, 14),
               "高境镇": (28, 1), "庙行镇": (20, 3), "淞南镇": (25, 3)},
    "310114": {"新成路街道": (18, 0), "真新街道": (24, 0), "嘉定镇街道": (20, 0),
               "南翔镇": (30, 17), "安亭镇": (35, 30), "马陆镇": (30, 18),
               "徐行镇": (12, 25), "华亭镇": (6, 18), "外冈镇": (10, 25),
               "江桥镇": (50, 17)},
    "310115": {"潍坊新村街道": (28, 0), "陆家嘴街道": (30, 0), "周家渡街道": (30, 0),
               "塘桥街道": (20, 0), "上钢新村街道": (25, 0), "南码头路街道": (25, 0),
               "沪东新村街道": (26, 0), "金杨新村街道": (33, 0), "洋泾街道": (31, 0),
               "浦兴路街道": (30, 0), "东明路街道": (34, 0), "花木街道": (33, 0),
               "川沙新镇": (55, 50), "高桥镇": (25, 4), "北蔡镇": (40, 4),
               "合庆镇": (12, 28), "唐镇": (25, 10), "曹路镇": (30, 14),
               "金桥镇": (12, 3), "高行镇": (25, 4), "高东镇": (12, 8),
               "张江镇": (35, 4), "三林镇": (60, 10), "惠南镇": (45, 26),
               "周浦镇": (35, 13), "新场镇": (15, 17), "大团镇": (10, 20),
               "康桥镇": (35, 8), "航头镇": (20, 15), "祝桥镇": (20, 42),
               "泥城镇": (15, 15), "宣桥镇": (8, 12), "书院镇": (8, 18),
               "万祥镇": (5, 8), "老港镇": (5, 13), "南汇新城镇": (30, 15)},
    "310116": {"石化街道": (28, 0), "朱泾镇": (12, 20), "枫泾镇": (8, 24),
               "张堰镇": (5, 12), "亭林镇": (8, 20), "吕巷镇": (4, 12),
               "廊下镇": (2, 10), "金山卫镇": (8, 12), "漕泾镇": (4, 8),
               "山阳镇": (6, 8)},
    "310117": {"岳阳街道": (18, 0), "永丰街道": (20, 0), "方松街道": (28, 0),
               "中山街道": (22, 0), "广富林街道": (16, 0), "九里亭街道": (15, 0),
               "泗泾镇": (22, 8), "佘山镇": (12, 12), "车墩镇": (10, 13),
               "新桥镇": (12, 8), "洞泾镇": (10, 6), "九亭镇": (25, 5),
               "泖港镇": (3, 13), "石湖荡镇": (3, 8), "新浜镇": (3, 7),
               "叶榭镇": (4, 12), "小昆山镇": (5, 8)},
    "310118": {"夏阳街道": (22, 0), "盈浦街道": (20, 0), "香花桥街道": (15, 0),
               "朱家角镇": (10, 25), "练塘镇": (4, 25), "金泽镇": (4, 30),
               "赵巷镇": (8, 12), "徐泾镇": (35, 10), "华新镇": (10, 18),
               "重固镇": (3, 10), "白鹤镇": (6, 23)},
    "310120": {"西渡街道": (15, 0), "奉浦街道": (16, 0), "金海街道": (15, 0),
               "南桥镇": (30, 15), "奉城镇": (10, 35), "庄行镇": (3, 17),
               "金汇镇": (6, 20), "四团镇": (4, 20), "青村镇": (6, 22),
               "柘林镇": (6, 16), "海湾镇": (4, 5)},
    "310151": {"城桥镇": (10, 17), "堡镇": (5, 20), "新河镇": (4, 18),
               "庙镇": (3, 20), "竖新镇": (2, 21), "向化镇": (2, 14),
               "三星镇": (2, 14), "港沿镇": (2, 16), "中兴镇": (2, 15),
               "陈家镇": (5, 20), "绿华镇": (1, 4), "港西镇": (2, 11),
               "建设镇": (2, 13), "新海镇": (2, 4), "东平镇": (4, 3),
               "长兴镇": (8, 24), "新村乡": (1, 6), "横沙乡": (1, 24)},
}

# Real names (street code, committee name, kind). Kept short on purpose; the
# sources are listed in README.md. They are placed first in their street.
REAL_NAMES: list[tuple[str, str, str]] = [
    ("310109009", "蒋家桥居委会", "居委会"),   # 欧阳路街道
    # 青浦区徐泾镇: residents' committees named in the town's 2022 public notice
    # on newly created / re-bounded committees (short form of 社区居委会).
    ("310118106", "京华居委会", "居委会"),
    ("310118106", "徐安第三居委会", "居委会"),
    ("310118106", "徐乐路居委会", "居委会"),
    ("310118106", "徐盈路居委会", "居委会"),
    ("310118106", "蟠龙馨苑居委会", "居委会"),
    ("310118106", "蟠文路居委会", "居委会"),
    ("310118106", "明珠路居委会", "居委会"),
    ("310118106", "叶联路居委会", "居委会"),
    ("310118106", "夏都居委会", "居委会"),
    ("310118106", "诸光路居委会", "居委会"),
    ("310118106", "乐天路居委会", "居委会"),
    ("310118106", "乐国路居委会", "居委会"),
    ("310115105", "卫行村", "村委会"),         # 浦东新区北蔡镇
    ("310115134", "团新村", "村委会"),         # 浦东新区大团镇
]

# ---------------------------------------------------------------- name parts
# Two-character bases for residents' committees: neutral, place-like words.
JU_BASES = (
    "康乐 长青 春晖 锦绣 华丰 嘉禾 瑞祥 景泰 宝华 建华 兴华 安康 富荣 怡景 明珠 "
    "金星 银河 绿洲 翠湖 碧云 云台 海棠 玉兰 紫薇 桂花 香樟 银杏 兰馨 丽景 阳光 "
    "东方 新华 永安 和平 福新 荣华 祥和 润和 芳华 泰和 名都 世纪 晨光 朝阳 "
    "春江 秋月 清水 金秋 丰华 华新 振华 长乐 育才 书香 文苑 万源 "
    "双桥 四季 五福 六合 百合 梅林 竹林 松柏 杨柳 樱花 石榴 海滨 "
    "江南 江畔 河畔 临江 滨江 东湖 西湖 南湖 北湖 星河 彩虹 紫藤 金桂 望春"
).split()
# Suffixes: "" gives e.g. 康乐居委会; the others e.g. 康乐新村居委会.
# "N村" becomes 一村 for the first use of a base in a street, 二村 for the next.
JU_SUFFIXES = ("", "", "新村", "N村", "N村", "N村", "花园", "苑", "家园",
               "小区", "公寓", "路")
NUMERALS = "一二三四五"
# Numbered village estates built on the street's own name (e.g. 凉城一村).
ROOT_SUFFIXES = ("一村", "二村", "三村", "四村", "新苑")
# Street roots that would read oddly as estate names (外滩一村, 江苏一村 ...).
NO_ROOT = {"外滩", "豫园", "北站", "湖南", "江苏", "嘉兴", "新村", "中山", "花木"}

# Village names: family names + landscape words, merged-village pairs, and
# common collective-era names, as in Shanghai's suburbs.
SURNAMES = (
    "张 王 李 陆 沈 顾 朱 徐 金 曹 钱 周 吴 蔡 唐 杨 姚 陈 倪 龚 严 施 潘 邱 "
    "瞿 奚 褚 卫 黄 乔 计 郁 胡 孙 宋 凌 俞 范 汤 费 邵 戴 盛 叶 殷 诸 薛 卢 "
    "袁 马 高 傅 丁 夏 季 秦 许 何 方 钟 蒋 冯 姜 闵"
).split()
LANDSCAPE = ("家", "桥", "浜", "泾", "港", "湾", "塘", "庙", "宅", "家桥",
             "家浜", "家宅", "家塘", "家港", "泾桥", "浜桥")
CUN_WORDS = (
    "联民 联合 联星 联丰 联群 胜利 新建 红光 星火 民主 永丰 先锋 友好 勤丰 向阳 "
    "新民 金星 东风 光明 建设 团结 群益 新港 新义 新华 新龙 新中 新南 新北 新东 "
    "新西 东进 南新 北新 西新 中心 长胜 长征 永乐 永福 永隆 永兴 兴隆 兴福 丰收 "
    "丰产 五四 八一 和平 幸福 合兴 合心 同心 同兴 协和 协进 富民 富强 裕丰 瑞丰 "
    "育新 农建 渔业 海滨 海丰 江南 江东 沿江 沿海 南港 北港 东滩 西滩 三星 四星 "
    "五星 六星 七星"
).split()
# Pairs that read as ordinary words or jokes rather than village names.
BANNED_CUN = {"沈阳村", "马丁村", "费钱村", "钱费村", "金钱村", "钱金村", "夏季村",
              "季夏村", "盛夏村", "叶黄村", "何方村"}


def street_root(name: str) -> str:
    """欧阳路街道 -> 欧阳, 凉城新村街道 -> 凉城, 南京东路街道 -> 南京东路."""
    root = name
    for tail in ("街道", "镇", "乡"):
        if root.endswith(tail):
            root = root[: -len(tail)]
            break
    for tail in ("新村", "新镇", "镇", "路"):
        if root.endswith(tail) and len(root) - len(tail) >= 2:
            root = root[: -len(tail)]
            break
    return root


def apportion(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of total in proportion to weights."""
    s = sum(weights)
    if total == 0 or s == 0:
        assert total == 0, "weights are all zero but total is not"
        return [0] * len(weights)
    exact = [total * w / s for w in weights]
    base = [int(x) for x in exact]
    rest = total - sum(base)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base


def ju_names(rng: random.Random, root: str, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    # up to 3 estates named after the street itself (a common real pattern)
    if len(root) == 2 and root not in NO_ROOT:
        for suf in ROOT_SUFFIXES[: min(3, count // 8)]:
            n = f"{root}{suf}居委会"
            if n not in taken:
                names.append(n)
                taken.add(n)
    uses: dict[str, int] = {}
    numbered: dict[str, int] = {}
    while len(names) < count:
        base = rng.choice(JU_BASES)
        if uses.get(base, 0) >= 2:
            continue
        suf = rng.choice(JU_SUFFIXES)
        if suf == "花园" and base.endswith("花"):
            continue  # no 桂花花园
        if suf == "N村":
            suf = NUMERALS[numbered.get(base, 0)] + "村"
        n = f"{base}{suf}居委会"
        if n in taken:
            continue
        if suf.endswith("村") and suf[0] in NUMERALS:
            numbered[base] = numbered.get(base, 0) + 1
        uses[base] = uses.get(base, 0) + 1
        names.append(n)
        taken.add(n)
    return names[:count]


def cun_name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.45:
        return f"{rng.choice(SURNAMES)}{rng.choice(LANDSCAPE)}村"
    if r < 0.65:
        a, b = rng.sample(SURNAMES, 2)
        return f"{a}{b}村"
    return f"{rng.choice(CUN_WORDS)}村"


def cun_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        n = cun_name(rng)
        if n in taken or n in BANNED_CUN:
            continue
        names.append(n)
        taken.add(n)
    return names


def main() -> None:
    with STREETS_CSV.open(encoding="utf-8", newline="") as f:
        streets = list(csv.DictReader(f))

    by_district: dict[str, list[dict[str, str]]] = {}
    for s in streets:
        by_district.setdefault(s["district_code"], []).append(s)

    assert set(by_district) == set(DISTRICT_TOTALS), "district list mismatch"
    assert sum(j for j, _ in DISTRICT_TOTALS.values()) == TOTAL_JU
    assert sum(c for _, c in DISTRICT_TOTALS.values()) == TOTAL_CUN

    default = {"街道": (20, 0), "镇": (20, 10), "乡": (1, 10)}
    counts: dict[str, tuple[int, int]] = {}
    for dcode, rows in by_district.items():
        shape = SHAPE.get(dcode, {})
        unknown = set(shape) - {r["name"] for r in rows}
        assert not unknown, f"SHAPE names not in streets.csv: {unknown}"
        w = [shape.get(r["name"], default[r["kind"]]) for r in rows]
        for r, (_wj, wc) in zip(rows, w, strict=True):
            assert r["kind"] != "街道" or wc == 0, f"{r['name']}: 街道 get no 村委会"
        tj, tc = DISTRICT_TOTALS[dcode]
        ju = apportion(tj, [x[0] for x in w])
        cun = apportion(tc, [x[1] for x in w])
        for r, j, c in zip(rows, ju, cun, strict=True):
            counts[r["code"]] = (j, c)

    real: dict[str, list[tuple[str, str]]] = {}
    for scode, name, kind in REAL_NAMES:
        real.setdefault(scode, []).append((name, kind))

    out: list[tuple[str, str, str, str]] = []
    for s in streets:
        code = s["code"]
        nj, nc = counts[code]
        rng = random.Random(f"{SEED}-{code}")
        taken: set[str] = set()
        real_ju = [n for n, k in real.get(code, []) if k == "居委会"]
        real_cun = [n for n, k in real.get(code, []) if k == "村委会"]
        assert len(real_ju) <= nj and len(real_cun) <= nc, f"too many real names in {code}"
        taken.update(real_ju + real_cun)
        jus = real_ju + ju_names(rng, street_root(s["name"]), nj - len(real_ju), taken)
        cuns = real_cun + cun_names(rng, nc - len(real_cun), taken)
        assert nj <= 199 and nc <= 200
        for i, n in enumerate(jus, start=1):
            out.append((f"{code}{i:03d}", code, n, "居委会"))
        for i, n in enumerate(cuns, start=200):
            out.append((f"{code}{i:03d}", code, n, "村委会"))

    with OUT_CSV.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "street_code", "name", "kind"])
        writer.writerows(out)
    print(f"wrote {len(out)} rows to {OUT_CSV}")


if __name__ == "__main__":
    main()
