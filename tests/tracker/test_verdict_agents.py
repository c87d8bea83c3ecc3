"""User agents: link previews and automation from crawlerdetect, our additions, browsers."""

from __future__ import annotations

import pytest
from crawlerdetect import CrawlerDetect

from callqueue.tracker.verdict import ADDED_AGENTS, HUMAN, agent_reason, judge

from .evidence import click

PREVIEWS_AND_AUTOMATION = {
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)":
        "link preview: Slackbot-LinkExpanding",
    "Slack-ImgProxy (+https://api.slack.com/robots)": "link preview: Slack-ImgProxy",
    "Twitterbot/1.0": "link preview: Twitterbot",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)":
        "link preview: LinkedInBot",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)":
        "link preview: facebookexternalhit",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/51.0.2704.103 Safari/537.36 SkypeUriPreview Preview/0.5"
    " skype-url-preview@microsoft.com": "link preview: SkypeUriPreview",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/112.0.0.0 Safari/537.36 Edg/112.0.1722.48 MicrosoftPreview/2.0"
    " +https://aka.ms/MicrosoftPreview": "link preview: MicrosoftPreview",
    "WhatsApp/2.23.20.0 A": "link preview: WhatsApp",
    "TelegramBot (like TwitterBot)": "link preview: TelegramBot",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)":
        "link preview: Discordbot",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " HeadlessChrome/120.0.6099.109 Safari/537.36": "automated client: HeadlessChrome",
    "curl/7.88.1": "automated client: curl",
    "python-requests/2.31.0": "automated client: python-requests",
    "Go-http-client/1.1": "automated client: Go-http-client",
    "Wget/1.21.3": "automated client: Wget",
    "Microsoft Office Existence Discovery": "automated client: Microsoft Office",
}  # fmt: skip

BROWSERS = [
    # Desktop: Chrome, Edge, Firefox, Safari, Opera, Yandex; Teams' own shell.
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36",
    # Phones: Safari, Chrome, Samsung Internet, an Android web view (Outlook, Gmail apps),
    # and the in-app browsers of LinkedIn, Facebook, Instagram and the Google app.
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko)"
    " SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36"
    " (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.54 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.38.108;FBBV/590523938;"
    "FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/80]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Mobile/15E148 Instagram 326.0.3.30.91 (iPhone15,2; iOS 17_4; en_US;"
    " en; scale=3.00; 1179x2556; 594578069)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) GSA/310.0.624027576 Mobile/15E148 Safari/604.1",
]


@pytest.mark.parametrize(("user_agent", "reason"), PREVIEWS_AND_AUTOMATION.items())
def test_previews_and_automation_are_scanners(user_agent: str, reason: str) -> None:
    verdict = judge([click(20 * 60, user_agent=user_agent)])[0]
    assert verdict.reasons == (reason,)
    assert verdict.rules == ("user_agent",)


@pytest.mark.parametrize("user_agent", BROWSERS)
def test_browsers_are_people(user_agent: str) -> None:
    assert judge([click(20 * 60, user_agent=user_agent)]) == [HUMAN]


def test_an_empty_user_agent_is_not_a_browser() -> None:
    assert agent_reason("") == "no user agent (every browser sends one)"
    assert agent_reason("   ") == "no user agent (every browser sends one)"


ADDITION_EXAMPLES = {
    "ms-office": "Mozilla/4.0 (compatible; ms-office; MSOffice 16)",
    "Viber/": "Viber/19.8.0.1 CFNetwork/1410.0.3 Darwin/22.6.0",
    "Google-Safety": "Google-Safety",
}


def test_every_addition_has_an_example_and_a_source() -> None:
    assert {text for text, _, _ in ADDED_AGENTS} == set(ADDITION_EXAMPLES)
    assert all(source for _, _, source in ADDED_AGENTS)


@pytest.mark.parametrize(("text", "user_agent"), ADDITION_EXAMPLES.items())
def test_crawlerdetect_still_misses_each_addition(text: str, user_agent: str) -> None:
    """Why the addition exists. When this fails, the list has caught up: drop the entry."""
    assert text.lower() in user_agent.lower()
    assert not CrawlerDetect().is_crawler(user_agent)
    assert agent_reason(user_agent) is not None


def test_additions_name_what_they_caught() -> None:
    assert agent_reason("Mozilla/4.0 (compatible; ms-office; MSOffice 16)") == (
        "automated client: Microsoft Office link check (ms-office)"
    )
    assert agent_reason("Viber/19.8.0.1 CFNetwork/1410.0.3 Darwin/22.6.0") == "link preview: Viber"


def test_a_match_inside_a_url_names_the_product_not_the_url() -> None:
    ua = "Mozilla/5.0 (compatible; Google-Safety; +http://www.google.com/bot.html)"
    assert agent_reason(ua) == "automated client: Google-Safety"
