"""The suggestion's guarantees, on generated plain data (no database)."""
import random
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from hr.core.vocabulary import POSTS
from hr.mentoring import rules, suggest
from hr.mentoring.rules import Person
from hr.mentoring.suggest import Candidate, MentorOption

ON = date(2026, 3, 1)
DISTRICT = 1
RANGES = {"LEAD": (7, 18), "SUPV": (4, 15), "STAF": (1, 12)}


@st.composite
def people(draw):
    n = draw(st.integers(1, 24))
    pool = []
    for i in range(1, n + 1):
        post = draw(st.sampled_from(["LEAD", "LEAD", "SUPV", "STAF", None]))
        grade = draw(st.integers(*RANGES[post])) if post else None
        street = draw(st.integers(1, 3))
        pool.append(Person(
            id=i, name=f"P{i}", district_id=draw(st.sampled_from([DISTRICT] * 9 + [2])), street_id=street,
            street_name=f"街道{street}", birth_date=date(draw(st.integers(1965, 2000)), 6, 15),
            hire_date=draw(st.sampled_from([date(2005, 1, 1), date(2020, 5, 1), date(2024, 9, 1), date(2026, 4, 1)])),
            leave_date=draw(st.sampled_from([None] * 8 + [date(2025, 12, 31)])),
            reserve_cadre=draw(st.booleans()),
            post=post, grade=grade,
            post_since=draw(st.sampled_from([date(2012, 1, 1), date(2025, 6, 1)])) if post else None,
            last_rating=draw(st.sampled_from([None, "优秀", "合格", "合格", "基本合格", "不合格"])),
            last_rating_year=2025))
    return pool


@st.composite
def scenes(draw):
    pool = draw(people())
    loads = {p.id: draw(st.integers(0, 6)) for p in pool}
    mentors = [MentorOption(p, draw(st.integers(1, 3)), "工作室", loads[p.id], draw(st.sampled_from([True] * 5 + [False])))
               for p in draw(st.lists(st.sampled_from(pool), max_size=12))]
    candidates = [Candidate(p, draw(st.sampled_from([None] * 5 + ["某导师"])))
                  for p in draw(st.lists(st.sampled_from(pool), max_size=24))]
    limit = draw(st.integers(1, 5))
    return mentors, candidates, limit


def _run(scene):
    mentors, candidates, limit = scene
    return suggest.propose(mentors, candidates, ON, DISTRICT, limit)


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_every_pair_passes_every_rule(scene):
    mentors, candidates, limit = scene
    result = _run(scene)
    members = {m.key for m in mentors if m.is_member}
    taken = {c.person.id: c.current_mentor for c in sorted(candidates, key=lambda c: (c.person.id, c.current_mentor is None))}
    for p in result.pairs:
        assert (p.mentor.id, p.studio_id) in members
        assert rules.check_pairing(p.mentor, p.mentee, ON, district_id=DISTRICT, is_member=True, load=0, limit=limit,
                                   current_mentor=taken.get(p.mentee.id)) is None
        assert p.mentor.id != p.mentee.id and rules.outranks(p.mentor, p.mentee)
        assert p.grounds == rules.mentee_grounds(p.mentee, ON) and p.grounds


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_capacity_is_respected_and_each_mentee_appears_once(scene):
    mentors, candidates, limit = scene
    result = _run(scene)
    base = {}
    for m in sorted(mentors, key=lambda m: (m.key, m.load, m.is_member)):
        base.setdefault(m.person.id, m.load)
    added = Counter(p.mentor.id for p in result.pairs)
    for mentor_id, n in added.items():
        assert base[mentor_id] + n <= limit
        assert result.loads[mentor_id] == base[mentor_id] + n
    for p in result.pairs:
        assert p.load == base[p.mentor.id] + added[p.mentor.id] and p.load_before == base[p.mentor.id]
    ids = [p.mentee.id for p in result.pairs] + [u.mentee.id for u in result.unmatched]
    assert len(ids) == len(set(ids))


@settings(max_examples=300, deadline=None)
@given(scenes(), st.randoms(use_true_random=False))
def test_same_input_same_output_whatever_the_order(scene, rnd):
    mentors, candidates, limit = scene
    first = _run(scene)
    assert _run(scene) == first
    shuffled_m, shuffled_c = list(mentors), list(candidates)
    rnd.shuffle(shuffled_m)
    rnd.shuffle(shuffled_c)
    assert suggest.propose(shuffled_m, shuffled_c, ON, DISTRICT, limit) == first


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_same_street_preferred_and_no_one_left_out_while_room_remains(scene):
    result = _run(scene)
    final = result.loads
    for p in result.pairs:
        if not p.same_street:
            for key in result.options[p.mentee.id]:
                option = result.mentors[key]
                if option.person.street_id == p.mentee.street_id:
                    assert final[option.person.id] >= result.limit, "a same-street mentor still had room"
    for u in result.unmatched:
        for key in result.options[u.mentee.id]:
            assert final[key[0]] >= result.limit
        assert u.why == (suggest.ALL_FULL if result.options[u.mentee.id] else suggest.NO_OPTION)


@settings(max_examples=200, deadline=None)
@given(scenes())
def test_candidates_and_options_are_exactly_those_the_rules_allow(scene):
    mentors, candidates, limit = scene
    result = _run(scene)
    free = {c.person.id for c in candidates if c.current_mentor is None}
    busy = {c.person.id for c in candidates if c.current_mentor is not None}
    expected = {c.person.id for c in candidates if c.person.id in free - busy
                and rules.mentee_refusal(c.person, ON, district_id=DISTRICT) is None}
    assert set(result.options) == expected
    for mentee_id, keys in result.options.items():
        mentee = next(c.person for c in candidates if c.person.id == mentee_id)
        allowed = {m.key for m in mentors if m.is_member
                   and rules.mentor_refusal(m.person, ON, district_id=DISTRICT, is_member=True) is None
                   and rules.pair_refusal(m.person, mentee) is None}
        assert set(keys) == allowed


def test_a_small_example_prefers_the_street_and_balances_load():
    def person(i, street, post="LEAD", grade=14, hire=date(2005, 1, 1)):
        return Person(i, f"P{i}", DISTRICT, street, f"街道{street}", date(1975, 1, 1), hire, post=post, grade=grade,
                      post_since=date(2010, 1, 1), last_rating="优秀", last_rating_year=2025)

    a, b, c = person(1, 1), person(2, 1), person(3, 2)
    fresh = [person(10 + i, 1 if i < 3 else 2, post="STAF", grade=2, hire=date(2025, 1, 1)) for i in range(5)]
    result = suggest.propose([MentorOption(a, 1, "甲工作室", 1), MentorOption(b, 1, "甲工作室"),
                              MentorOption(c, 2, "乙工作室")],
                             [Candidate(p) for p in fresh], ON, DISTRICT, limit=2)
    got = {(p.mentee.id, p.mentor.id) for p in result.pairs}
    # street 1: b (load 0) first, then a (1) and b (1) tie → the lower id; street 2 goes to c
    assert got == {(10, 2), (11, 1), (12, 2), (13, 3), (14, 3)}
    reasons = {p.mentee.id: p.reason for p in result.pairs}
    assert reasons[10] == "同街镇·街道1；导师带教 0→2 人"
    assert reasons[11] == "同街镇·街道1；导师带教 1→2 人"
    result = suggest.propose([MentorOption(a, 1, "甲工作室", 2), MentorOption(c, 2, "乙工作室")],
                             [Candidate(fresh[0])], ON, DISTRICT, limit=2)
    assert [p.reason for p in result.pairs] == ["跨街镇·同区；导师带教 0→1 人"]


def test_deterministic_on_a_large_random_scene():
    rng = random.Random(7)
    pool = [Person(i, f"P{i}", DISTRICT, rng.randint(1, 8), "街", date(1970 + rng.randint(0, 30), 1, 1),
                   date(2024, 1, 1) if rng.random() < .5 else date(2010, 1, 1),
                   post=rng.choice(list(POSTS)), grade=rng.randint(7, 12), post_since=date(2010, 1, 1),
                   last_rating="合格", last_rating_year=2025) for i in range(1, 400)]
    mentors = [MentorOption(p, rng.randint(1, 4), "工作室", rng.randint(0, 3)) for p in pool if p.post == "LEAD"][:40]
    candidates = [Candidate(p) for p in pool]
    first = suggest.propose(mentors, candidates, ON, DISTRICT)
    rng.shuffle(mentors)
    rng.shuffle(candidates)
    assert suggest.propose(mentors, candidates, ON, DISTRICT) == first
    assert first.pairs
