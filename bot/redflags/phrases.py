"""One regular expression for a list of literal phrases, written as a trie.

The lexicon's phrase lists are long (hundreds of "ignore" phrases, over a hundred cues of some
kinds). A plain alternation `a|b|c|...` makes the regex engine try every phrase at every position
of the text; a trie (`fe(?:ver|el)`) tries only the phrases that share what was read so far, which
is many times faster and matches exactly the same: at each position the longest phrase that fits
is tried first, then shorter ones, as an alternation sorted longest first does.
"""
from __future__ import annotations

import functools
import re
from typing import Callable, Iterable, Iterator, Optional, Union

NOTHING = "(?!)"  # matches nowhere: an empty list of phrases
COMMA = re.compile(r"[,，、]")  # a comma in either script: two sides of a combo are not told across one
# Where a part of a clause ends: a comma, or a space between Chinese words, which is how many
# parents type a comma on a phone ("同病房那个小弟弟抽搐了 我们家的还好好的"). Written to begin with
# one character set (a comma or a space, then checked), so that the regex engine skips to those
# fast: `[,，、]|(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])` matches the same, tried at every place.
PART_BREAK = re.compile(r"[,，、\s](?:(?<=[,，、])|(?<=[\u3400-\u9fff]\s)\s*(?=[\u3400-\u9fff]))")


# Words with 不 that negate nothing that follows: nonstop (不停地抽搐), not knowing (不确定是不是在抽),
# a quantity (不少鲜血 is a lot of blood: "大便上带着不少鲜血" was silent),
# and a verb's "cannot" (打不通, 联系不到, 睡不着, 喝不进去: "电话打不通管子漏了" was silent; 看不到/摸不到 still negate).
NOT_NEGATING_ZH = re.compile(r"不停|不断|不住|不确定|不知道|说不清|不清楚|拿不准|不管用|不正常|不对劲|不少|不小|没少"
                             r"|冇啦啦|冇端端|冇耐|冇几耐|冇停|有冇"  # Cantonese: suddenly, for no reason, not long ago, nonstop, whether
                             r"|(?<=[\u3400-\u9fff])(?<![看见量摸找听])不(?:通|到|着|动|开|完|进|下|起|醒|了)|找不到(?=医生|护士|人)")


def without_false_negations(text: str) -> str:
    """`text` with the 不 words that negate nothing blanked (same length: places stay)."""
    return NOT_NEGATING_ZH.sub(lambda found: " " * len(found.group()), text)


@functools.lru_cache(maxsize=None)
def chinese_pattern(text: str) -> re.Pattern:
    """A Chinese term or combo side as written in the lexicon: `*` stands for up to three characters."""
    return re.compile(".{0,3}".join(re.escape(part) for part in text.split("*")))


def negated_in_gap(matched: str, written: str, negations: Iterable[str]) -> bool:
    """A negation inside a `*` gap negates what was matched: "嘴唇*肿" in "嘴唇都没有肿"."""
    return any(n in matched and n not in written for n in negations)


def alternation(phrases: Iterable[str]) -> str:
    """A pattern matching any of `phrases`, preferring the longest at a position."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return _pattern(trie) if trie else NOTHING


def _pattern(node: dict) -> str:
    """Longer phrases first: the branches that go on come before the option to stop here."""
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"


class Guarded:
    """A regex tried only on text that holds one of `needles`: literal strings that every match
    contains. `in` finds them in C many times faster than the regex engine walks a long text in
    which every word could start a match (a pattern that begins with `\\b` is tried at each place).
    tests/test_redflags.py checks the needles on the texts the suite gives each pattern; that
    covers only what the suite has, so the needles of a new or changed pattern are read by hand
    against every branch of it too."""

    def __init__(self, pattern: str, needles: tuple[str, ...]):
        self.regex = re.compile(pattern)
        self.needles = needles

    def may_match(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)

    def search(self, text: str) -> Optional[re.Match]:
        return self.regex.search(text) if self.may_match(text) else None

    def sub(self, replace: Union[str, Callable[[re.Match], str]], text: str) -> str:
        return self.regex.sub(replace, text) if self.may_match(text) else text


class Phrases:
    """Finds a list of phrases as one `alternation` would, faster when they are in two scripts.

    At each position of the text the regex engine compares the character with the phrases'
    first characters one by one: with hundreds of English and Chinese phrases, every English
    letter would be compared with the Chinese ones too. So the phrases that begin with an ASCII
    character and the others get a regex each, which skips fast the places where none of its
    phrases can begin, and their matches are merged.
    """

    def __init__(self, phrases: Iterable[str]):
        phrases = list(phrases)
        self.patterns = [re.compile(alternation(p for p in phrases if p[0].isascii() == ascii)) for ascii in (True, False)]

    def finditer(self, text: str) -> Iterator[re.Match]:
        """Leftmost first and not overlapping, as one regex would find them (a phrase can only
        be found by the regex of its first character, so they never find the same place)."""
        found = [pattern.search(text) for pattern in self.patterns]
        while any(found):
            match = min((m for m in found if m), key=re.Match.start)
            yield match
            found = [m if m is None or m.start() >= match.end() else pattern.search(text, match.end())
                     for m, pattern in zip(found, self.patterns)]

    def sub(self, replace: Callable[[re.Match], str], text: str) -> str:
        pieces, at = [], 0
        for match in self.finditer(text):
            pieces += (text[at:match.start()], replace(match))
            at = match.end()
        return "".join(pieces) + text[at:]
