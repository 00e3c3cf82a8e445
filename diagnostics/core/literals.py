"""Objects copied from code and logs rather than JSON: a JS object literal (``{appId: 'wx…',}``),
a Python dict repr (``{'appid': 'wx…'}``) and Java's ``Map.toString()`` (``{appid=wx…, mch_id=…}``).

One pass over the text, no regular expression: a name, ``:`` or ``=``, a value (quoted, or up to
the next ``,`` or ``}`` outside brackets), and so on.

>>> read_object("{appId: 'wx1', timeStamp: '1395712654',}")
('js_object', [('appId', 'wx1'), ('timeStamp', '1395712654')], [])
>>> read_object("{appid=wx1, package=prepay_id=wx20}")[:2]
('java_map', [('appid', 'wx1'), ('package', 'prepay_id=wx20')])
>>> read_object("{'appid': 'wx1', 'total_fee': 1}")[:2]
('python_dict', [('appid', 'wx1'), ('total_fee', '1')])
"""

from __future__ import annotations

from dataclasses import dataclass

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "/": "/", "`": "`"}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_LITERAL_WORDS = {"true": "true", "false": "false", "True": "true", "False": "false"}


class NotAnObject(ValueError):
    """The text is not an object literal of any of the three kinds."""


@dataclass
class _Reader:
    text: str
    position: int = 0

    def blanks(self) -> None:
        text, position = self.text, self.position
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        self.position = position

    def peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def quoted(self) -> str:
        """A string in ', " or ` quotes, escapes decoded; the reader is on the opening quote."""
        quote = self.peek()
        pieces: list[str] = []
        position = self.position + 1
        text = self.text
        while position < len(text):
            char = text[position]
            if char == quote:
                self.position = position + 1
                return "".join(pieces)
            if char == "\\" and position + 1 < len(text):
                following = text[position + 1]
                if following == "u" and position + 6 <= len(text):
                    try:
                        pieces.append(chr(int(text[position + 2 : position + 6], 16)))
                        position += 6
                        continue
                    except ValueError:
                        pass
                pieces.append(_ESCAPES.get(following, following))
                position += 2
                continue
            pieces.append(char)
            position += 1
        raise NotAnObject("unterminated string")

    def bare(self, stops: str) -> str:
        """Text up to one of ``stops`` outside brackets, stripped."""
        text = self.text
        position = self.position
        closing: list[str] = []
        while position < len(text):
            char = text[position]
            if not closing and char in stops:
                break
            if char in _OPEN:
                closing.append(_OPEN[char])
                if len(closing) > 32:
                    raise NotAnObject("nested too deep")
            elif closing and char == closing[-1]:
                closing.pop()
            position += 1
        value = text[self.position : position].strip()
        self.position = position
        return value


def read_object(text: str) -> tuple[str, list[tuple[str, str]], list[str]]:
    """The kind of object (``js_object``, ``python_dict`` or ``java_map``), its pairs, and the
    names whose value is code rather than a literal (a variable, a call): the merchant must paste
    the value it had. Raises NotAnObject when the text is none of them."""
    reader = _Reader(text.strip())
    if reader.peek() != "{":
        raise NotAnObject("not an object")
    reader.position += 1
    pairs: list[tuple[str, str]] = []
    code_values: list[str] = []
    separators: set[str] = set()
    quoted_names = set()
    while True:
        reader.blanks()
        char = reader.peek()
        if char == "}":
            reader.position += 1
            break
        if not char:
            raise NotAnObject("no closing brace")
        if char in "'\"`":
            quoted_names.add(char)
            name = reader.quoted()
        else:
            name = reader.bare(":=,}")
        reader.blanks()
        separator = reader.peek()
        if separator not in (":", "=") or not name:
            raise NotAnObject("no separator")
        separators.add(separator)
        reader.position += 2 if reader.text.startswith("=>", reader.position) else 1
        reader.blanks()
        if reader.peek() in "'\"`" and reader.peek():
            value = reader.quoted()
        else:
            value = reader.bare(",}")
            if not value:
                raise NotAnObject("no value")
            value = _LITERAL_WORDS.get(value, value)
            if separator == ":" and not _is_literal(value):
                code_values.append(name)
        pairs.append((name, value))
        reader.blanks()
        if reader.peek() == ",":
            reader.position += 1
    reader.blanks()
    if reader.position != len(reader.text) or not pairs or len(separators) != 1:
        raise NotAnObject("not one object")
    if "=" in separators:
        kind = "java_map"
    elif quoted_names == {"'"}:
        kind = "python_dict"
    else:
        kind = "js_object"
    return kind, pairs, code_values


def _is_literal(value: str) -> bool:
    if value in ("true", "false", "null", "None"):
        return True
    try:
        float(value)
    except ValueError:
        return False
    return True
