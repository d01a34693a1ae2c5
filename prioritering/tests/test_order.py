"""Each person sees the needs in an order of their own: random between people, stable for one person."""

from __future__ import annotations

import re

from django.urls import reverse

from prioritering.selectors import ballot_order


def order_on_page(client, aanmelding) -> list[str]:
    html = client.get(reverse("prioritering:stembiljet", kwargs={"token": aanmelding.token})).content.decode()
    return re.findall(r'name="(punten-\d+)"', html)


def test_the_order_stays_the_same_for_one_person(client, ronde, anna, bert):
    first = order_on_page(client, anna)
    assert len(first) == 6
    assert all(order_on_page(client, anna) == first for _ in range(3))
    # Also after a ballot was cast and after another person's page was shown.
    client.post(reverse("prioritering:stembiljet", kwargs={"token": anna.token}), {first[0]: "3"})
    order_on_page(client, bert)
    assert order_on_page(client, anna) == first


def test_the_order_differs_between_people(ronde, needs):
    # Fixed tokens keep the test deterministic; real tokens are 43 random characters.
    tokens = [f"persoonlijke-code-{n}" for n in range(12)]
    orders = {tuple(n.pk for n in ballot_order(needs, token=token, round_id=ronde.pk)) for token in tokens}
    # 720 possible orders: twelve people sharing only a few would mean the shuffle is not per person.
    assert len(orders) >= 8
    firsts = {order[0] for order in orders}
    assert len(firsts) >= 3, "the same need should not always come first"


def test_the_order_does_not_depend_on_how_the_needs_arrive(needs):
    assert ballot_order(needs, token="abc", round_id=1) == ballot_order(list(reversed(needs)), token="abc", round_id=1)


def test_a_new_round_reshuffles(needs):
    orders = {tuple(n.pk for n in ballot_order(needs, token="vast-token", round_id=r)) for r in range(1, 9)}
    assert len(orders) > 1
