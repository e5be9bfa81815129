"""A synthetic county: townships, villages, households with members, cadres and relatives.
Deterministic for a seed and a size."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from events.identity import check_digit

COUNTY = "610326"  # a county of Shaanxi: the seed's 7,300-yuan line applies
SIZES = {  # townships, villages per township, households per village
    "small": (1, 1, 40),
    "medium": (10, 10, 100),
    "large": (20, 25, 200),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰玉"
HEALTH = ["healthy"] * 8 + ["chronic_illness", "serious_illness", "disabled"]
# Made-up place names (the county's code is real, its names are not): the registrations carry
# them. Village names repeat across townships, as they do in a real county.
COUNTY_NAME = "模拟县"
TOWNSHIP_NAMES = (
    "青山 柳河 石桥 白水 金川 龙泉 双庙 杨坪 马坊 高桥 黄土 清水 新集 红星 东风 西岭 南塬 北坡 "
    "桃园 梨园"
)
VILLAGE_NAMES = (
    "王家 李家 张庄 刘湾 陈沟 杨岭 赵坪 黄塬 周河 吴堡 徐寨 孙村 胡桥 朱营 高庙 林场 何家 郭湾 "
    "马岔 罗洼 梁峁 宋坡 郑台 谢屯 韩集"
)


@dataclass(slots=True)
class Household:
    household_id: str
    village: str
    lifted: bool
    members: list[dict[str, Any]]
    # lifecycle state the generator follows month by month
    status: str = "ordinary"  # ordinary | case | monitored | eliminated
    risks: list[str] = field(default_factory=list)
    marked: bool = False
    case: dict[str, Any] | None = None
    next_step: date | None = None
    identified_on: date | None = None
    eliminated_on: date | None = None
    measures: list[str] = field(default_factory=list)
    income: int = 0
    planted: set[str] = field(default_factory=set)
    transfer: tuple[str, int] | None = None  # (income component, yuan) of a verified measure

    @property
    def no_labour(self) -> bool:
        return all(m["labour_capacity"] in ("lost", "none") for m in self.members)


@dataclass(slots=True)
class County:
    townships: list[str]
    villages: list[str]
    households: list[Household]
    cadres: dict[str, list[str]]  # village → cadre person ids
    relatives: list[dict[str, str]]  # cadre ↔ household member relations
    names: dict[str, str] = field(default_factory=dict)  # region code → place name

    def place_names(self, village: str) -> dict[str, str]:
        """What a registration in the village carries (household_registered's names)."""
        return {
            "county_name": self.names[village[:6]],
            "township_name": self.names[village[:9]],
            "village_name": self.names[village],
        }


def _person(
    rng: random.Random,
    village: str,
    n: int,
    relation: str,
    born: date,
    issued: dict[tuple[date, bool], int],
) -> dict[str, Any]:
    """A member with an ID number of their own: the order code (顺序码) counts the people of
    the county born that day, odd for men and even for women, so that no two share one."""
    female = rng.random() < 0.5
    k = issued[(born, female)] = issued.get((born, female), -1) + 1
    order = 10 * (k // 5) + (2 * (k % 5) + (0 if female else 1))  # 3 digits: 001, 003…
    first17 = f"{COUNTY}{born:%Y%m%d}{order:03d}"
    age = 2024 - born.year
    labour = (
        "none"
        if age < 16 or age > 75
        else rng.choice(["ordinary"] * 6 + ["skilled", "weak", "lost"])
    )
    return {
        "person_id": f"{village}-{n}",
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        "id_number": first17 + check_digit(first17),
        "relation_to_head": relation,
        "labour_capacity": labour,
        "health": rng.choice(HEALTH),
        "in_school": 6 <= age <= 15,
    }


def build_county(size: str, seed: int) -> County:
    rng = random.Random(seed)
    n_townships, n_villages, n_households = SIZES[size]
    townships = [f"{COUNTY}{t + 101:03d}" for t in range(n_townships)]
    villages, households, cadres, relatives = [], [], {}, []
    names = {COUNTY: COUNTY_NAME}
    issued: dict[tuple[date, bool], int] = {}
    for t, township in enumerate(townships):
        names[township] = _name(TOWNSHIP_NAMES, t, "镇")
        for v in range(n_villages):
            village = f"{township}{v + 201:03d}"
            names[village] = _name(VILLAGE_NAMES, v, "村")
            villages.append(village)
            cadres[village] = [f"cadre-{village}-{i}" for i in range(3)]
            for h in range(n_households):
                hid = f"{village}{h + 1:04d}"
                born = date(rng.randint(1945, 1990), rng.randint(1, 12), rng.randint(1, 28))
                members = [_person(rng, hid, 1, "head", born, issued)]
                if rng.random() < 0.08:  # elderly living alone, or a household without labour
                    members[0]["labour_capacity"] = "none"
                else:
                    for k in range(rng.randint(0, 4)):
                        child = date(
                            rng.randint(1975, 2020), rng.randint(1, 12), rng.randint(1, 28)
                        )
                        relation = "spouse" if k == 0 else "child"
                        members.append(_person(rng, hid, k + 2, relation, child, issued))
                households.append(
                    Household(
                        hid, village, rng.random() < 0.25, members, income=rng.randint(6000, 30000)
                    )
                )
            # a cadre's relative lives in the village: the favoritism register (优亲厚友)
            relative = households[-rng.randint(1, n_households)]
            relatives.append(
                {
                    "cadre_id": cadres[village][0],
                    "household_id": relative.household_id,
                    "relation": rng.choice(["sibling", "parent", "sibling_in_law", "cousin"]),
                }
            )
    return County(townships, villages, households, cadres, relatives, names)


def _name(stems: str, i: int, suffix: str) -> str:
    """The i-th name of the list (numbered once the list runs out: 青山二镇)."""
    words = stems.split()
    stem, lap = words[i % len(words)], i // len(words)
    return stem + ("" if lap == 0 else "二三四五六七八九"[min(lap, 8) - 1]) + suffix
