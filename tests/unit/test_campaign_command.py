"""The campaign command tells a user looking for a birthday-month audience why there is none."""

from click.testing import CliRunner

from chairside.cli.campaign import campaign_group


def test_the_help_says_there_is_no_birthday_audience_and_why() -> None:
    result = CliRunner().invoke(campaign_group, ["export", "--help"])
    assert result.exit_code == 0
    assert "birth year" in result.output
    assert "at_risk" in result.output and "service_pair" in result.output


def test_asking_for_a_birthday_audience_fails_saying_why() -> None:
    result = CliRunner().invoke(
        campaign_group, ["export", "--shop", "harbour", "--rule", "birthday", "--to", "x.csv"]
    )
    assert result.exit_code == 2
    assert "birth year, not their birth date" in result.output


def test_an_unknown_rule_lists_the_rules() -> None:
    result = CliRunner().invoke(
        campaign_group, ["export", "--shop", "harbour", "--rule", "vip", "--to", "x.csv"]
    )
    assert result.exit_code == 2
    assert "lapsed_vip" in result.output
