"""html_to_text's fast way (plain tags replaced by regular expressions) gives the text the
standard library's HTMLParser gives, and hands over everything it does not read the plain way."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.parse.htmltext import _collect, _plain_tags, html_to_text

PIECES = [
    "Talks",
    " resume ",
    "in",
    "\n\t",
    "Amman",
    "é",
    "\u00a0",
    "—",
    ">",
    "3 < 4",
    "a<b",
    "<p>",
    "</p>",
    "<P>",
    "<br>",
    "<br/>",
    "<br />",
    '<div class="lead">',
    "</div>",
    '<a href="https://example.org/?a=1&amp;b=2">',
    "</a>",
    "<a title='x > y'>",
    "<img src=x>",
    "<img alt=\"a\" src='b'/>",
    "<b\nclass=x>",
    "</b >",
    "</p foo>",
    '<a b="x>"c>',
    "<script>var s = '<p>';</script>",
    "<style>p{}</style>",
    "<title>t</title>",
    "<!-- note -->",
    "<!doctype html>",
    "<?php x ?>",
    "<",
    "</",
    "&amp;",
    "&nbsp;",
    "&#8217;",
    "&#x2014;",
    "&bogus;",
    "&amp",
    "&lt;b&gt;",
    "&",
    "<em>",
    "</em>",
    "<![CDATA[x]]>",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_fast_way_agrees_with_htmlparser_or_hands_over(pieces: list[str]) -> None:
    fragment = "".join(pieces)
    fast = _plain_tags(fragment)
    if fast is not None:
        assert " ".join(fast.split()) == " ".join(_collect(fragment).split())


def test_typical_feed_html_takes_the_fast_way() -> None:
    fragment = (
        '<p>Ministers met in <a href="https://example.org/x?a=1&amp;b=2">Amman</a>.</p>'
        "<p>Talks&nbsp;resume &#8217;next&#8217; week.<br/>More soon.</p>"
    )
    assert _plain_tags(fragment) is not None
    assert (
        html_to_text(fragment, 200)
        == "Ministers met in Amman . Talks resume ’next’ week. More soon."
    )


def test_skipped_elements_and_comments_go_the_careful_way() -> None:
    for fragment in ("<p>a</p><script>alert(1)</script>", "a <!-- b --> c", "3 < 4 <b>x</b>"):
        assert _plain_tags(fragment) is None
    assert html_to_text("<p>a</p><script>alert('<b>')</script><p>b</p>", 50) == "a b"
    assert html_to_text("a <!-- hidden --> c", 50) == "a c"
