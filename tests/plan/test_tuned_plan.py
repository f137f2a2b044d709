"""A tuned model (``nrplan tune``) reaches every path loss the planner uses."""

from __future__ import annotations

import pytest

from nrplan.plan.config import PlanConfig
from nrplan.plan.dimension import single_site_isd_m, site_area_users
from nrplan.plan.measure import prediction_config

URBAN = 2  # morphology code of the urban class


def test_prediction_config_carries_the_corrections():
    cfg = PlanConfig(pathloss_corrections={URBAN: (2.5, -1.0)})
    assert dict(prediction_config(cfg).pathloss_corrections) == {URBAN: (2.5, -1.0)}
    assert prediction_config(PlanConfig()).pathloss_corrections is None


def test_constant_correction_is_an_extra_loss_on_every_user():
    # site_area_users: every user of the site area sees PL + e (e = body loss +
    # the user's O2I loss) on both links, so a tuned intercept a with slope 0
    # equals a body loss larger by a [dB], exactly.
    base = PlanConfig()
    tuned = PlanConfig(pathloss_corrections={URBAN: (3.0, 0.0)})
    lossier = PlanConfig(link={"body_loss_db": base.link.body_loss_db + 3.0})
    got = site_area_users(URBAN, 400.0, tuned)
    want = site_area_users(URBAN, 400.0, lossier)
    for key in want:
        assert got[key] == pytest.approx(want[key], rel=1e-12, abs=1e-15)


def test_a_lossier_tuned_model_shrinks_the_link_budget_isd():
    # +6 dB of path loss at every distance must bring the sites closer.
    base = single_site_isd_m(URBAN, PlanConfig())
    tuned = single_site_isd_m(URBAN, PlanConfig(pathloss_corrections={URBAN: (6.0, 0.0)}))
    assert tuned < 0.9 * base
    # a correction of another class leaves this one alone
    other = single_site_isd_m(URBAN, PlanConfig(pathloss_corrections={3: (6.0, 0.0)}))
    assert other == pytest.approx(base, rel=1e-12)
