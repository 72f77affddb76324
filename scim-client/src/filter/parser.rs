//! The parser shared by filters, attribute paths and PATCH paths.
//!
//! Positions are byte offsets into the input. The parser only ever stops on ASCII bytes, so every
//! position it reports is a character boundary.
//!
//! It is a recursive-descent parser whose recursion (into `(`, `not (` and `[`) is kept on an
//! explicit stack of [`Frame`]s, so its own stack use is constant. The trees it builds are
//! bounded all the same, because the code that walks them (the derived `Drop`, `Clone`,
//! `PartialEq` and `Debug`, the printer, the evaluator) recurses: `(`, `not (` and `[` nest at
//! most [`MAX_NESTING`] levels, and chains of `and` / `or`, which become left-leaning trees,
//! make trees at most [`MAX_HEIGHT`] tall.

use serde_json::Number;

use crate::filter::{CompValue, CompareOp, Filter};
use crate::path::AttrPath;

/// How many levels of `(`, `not (` and `[` a filter may nest.
pub(crate) const MAX_NESTING: usize = 64;

/// How tall the syntax tree of a parsed filter may be: every `and`, `or`, `not` and `[...]`
/// adds a level over its operands.
pub(crate) const MAX_HEIGHT: usize = 512;

/// Longest excerpt of the input quoted in an error message.
const MAX_EXCERPT: usize = 40;

/// A syntax error: where, and what was expected.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub(crate) position: usize,
    pub(crate) message: String,
    pub(crate) too_deep: bool,
}

/// What closes the expression being parsed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Closer {
    End,
    Paren,
    Bracket,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Logic {
    And,
    Or,
}

/// What opened the expression a [`Frame`] parses.
enum Opened {
    /// The whole filter, or the inside of a PATCH path's `[...]`.
    Base(Closer),
    /// `(`.
    Group,
    /// `not (`.
    Not,
    /// `attr[`.
    Value(AttrPath),
}

/// What [`Parser::operand`] found.
enum Operand {
    /// A complete attribute expression.
    Leaf(Filter),
    /// The opening of a nested expression, and where its inside starts.
    Open(Opened, usize),
}

/// An expression being parsed: the `or` of the finished `and`-groups, and the `and`-group
/// being built, each with the height of its tree.
struct Frame {
    opened: Opened,
    /// Where the opening is, for errors.
    start: usize,
    /// Where the last `and` / `or` is, for errors.
    keyword: usize,
    or: Option<(Filter, usize)>,
    and: Option<(Filter, usize)>,
}

impl Frame {
    fn new(opened: Opened, start: usize) -> Self {
        Self {
            opened,
            start,
            keyword: start,
            or: None,
            and: None,
        }
    }

    fn closer(&self) -> Closer {
        match self.opened {
            Opened::Base(closer) => closer,
            Opened::Group | Opened::Not => Closer::Paren,
            Opened::Value(_) => Closer::Bracket,
        }
    }

    /// Adds an operand to the current `and`-group.
    fn push_and(&mut self, (right, right_height): (Filter, usize)) -> Result<(), SyntaxError> {
        self.and = Some(match self.and.take() {
            None => (right, right_height),
            Some((left, left_height)) => (
                Filter::And(Box::new(left), Box::new(right)),
                check_height(1 + left_height.max(right_height), self.keyword)?,
            ),
        });
        Ok(())
    }

    /// Ends the current `and`-group, as an operand of `or`.
    fn fold_or(&mut self) -> Result<(), SyntaxError> {
        let Some((right, right_height)) = self.and.take() else {
            return Ok(());
        };
        self.or = Some(match self.or.take() {
            None => (right, right_height),
            Some((left, left_height)) => (
                Filter::Or(Box::new(left), Box::new(right)),
                check_height(1 + left_height.max(right_height), self.keyword)?,
            ),
        });
        Ok(())
    }
}

fn check_height(height: usize, position: usize) -> Result<usize, SyntaxError> {
    if height > MAX_HEIGHT {
        Err(SyntaxError {
            position,
            message: format!(
                "the filter is too complex: its operators nest more than {MAX_HEIGHT} levels"
            ),
            too_deep: true,
        })
    } else {
        Ok(height)
    }
}

/// A cursor over the input.
pub(crate) struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    nesting: usize,
}

fn is_ws(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'$' | b'-' | b'_')
}

/// Characters that may appear in a schema URN (RFC 8141 `pchar` and `/`, without the
/// parentheses, which delimit filters).
fn is_urn_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'%'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
        )
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &str) -> bool {
    haystack
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            nesting: 0,
        }
    }

    // ----- cursor helpers -------------------------------------------------------------------

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn byte_at(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    /// Whether the next byte is `byte`.
    pub(crate) fn at(&self, byte: u8) -> bool {
        self.peek() == Some(byte)
    }

    /// Steps over one ASCII byte.
    pub(crate) fn bump(&mut self) {
        self.pos += 1;
    }

    fn ws_len(&self, from: usize) -> usize {
        self.bytes
            .get(from..)
            .map_or(0, |rest| rest.iter().take_while(|&&b| is_ws(b)).count())
    }

    fn skip_ws(&mut self) -> usize {
        let n = self.ws_len(self.pos);
        self.pos += n;
        n
    }

    /// The end of the run of name characters starting at `from`.
    fn name_run(&self, from: usize) -> usize {
        from + self.bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|&&b| is_name_char(b)).count()
        })
    }

    fn text(&self, from: usize, to: usize) -> &'a str {
        self.src.get(from..to).unwrap_or("")
    }

    /// Describes what is at `pos`, for "found ..." in messages.
    fn found(&self, pos: usize) -> String {
        let Some(rest) = self.src.get(pos..) else {
            return "end of input".to_owned();
        };
        let Some(first) = rest.chars().next() else {
            return "end of input".to_owned();
        };
        if first.is_ascii_whitespace() {
            return "whitespace".to_owned();
        }
        let end = self.name_run(pos);
        let excerpt = if end > pos {
            let word = self.text(pos, end);
            if word.len() > MAX_EXCERPT {
                format!("{}...", word.get(..MAX_EXCERPT).unwrap_or(word))
            } else {
                word.to_owned()
            }
        } else {
            first.to_string()
        };
        format!("`{excerpt}`")
    }

    fn error(position: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            position,
            message: message.into(),
            too_deep: false,
        }
    }

    fn expected(&self, position: usize, what: &str) -> SyntaxError {
        Self::error(
            position,
            format!("expected {what}, found {}", self.found(position)),
        )
    }

    /// Fails unless the whole input has been consumed.
    pub(crate) fn expect_end(&self, what: &str) -> Result<(), SyntaxError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.expected(self.pos, what))
        }
    }

    fn expect_byte(&mut self, byte: u8, what: &str) -> Result<(), SyntaxError> {
        if self.at(byte) {
            self.bump();
            Ok(())
        } else {
            Err(self.expected(self.pos, what))
        }
    }

    fn enter(&mut self, position: usize) -> Result<(), SyntaxError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            Err(SyntaxError {
                position,
                message: format!(
                    "the filter nests `(`, `not (` and `[` more than {MAX_NESTING} levels deep"
                ),
                too_deep: true,
            })
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
    }

    // ----- attribute paths ------------------------------------------------------------------

    /// `ATTRNAME`, with a leading `$` allowed (for `$ref`).
    pub(crate) fn attr_name(&mut self, what: &str) -> Result<String, SyntaxError> {
        let start = self.pos;
        let letter = if self.at(b'$') { start + 1 } else { start };
        if !self
            .byte_at(letter)
            .is_some_and(|b| b.is_ascii_alphabetic())
        {
            return Err(self.expected(start, what));
        }
        let end = self.name_run(letter);
        self.pos = end;
        Ok(self.text(start, end).to_owned())
    }

    /// `ATTRNAME *1subAttr`, stopping before anything else.
    fn name_and_sub(&mut self) -> Result<(String, Option<String>), SyntaxError> {
        let name = self.attr_name("an attribute name")?;
        let sub_attr = if self.at(b'.') {
            self.bump();
            Some(self.attr_name("a sub-attribute name after `.`")?)
        } else {
            None
        };
        if self.at(b'.') {
            return Err(Self::error(
                self.pos,
                "an attribute path has at most one sub-attribute (`name.sub`)",
            ));
        }
        Ok((name, sub_attr))
    }

    /// `attrPath = [URI ":"] ATTRNAME *1subAttr`, stopping before anything else (`[`, space...).
    pub(crate) fn attr_path(&mut self) -> Result<AttrPath, SyntaxError> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        if !starts_with_ignore_case(rest, "urn:") {
            let (name, sub_attr) = self.name_and_sub()?;
            if self.at(b':') {
                return Err(Self::error(
                    start,
                    "a schema prefix must be a URN starting with `urn:`",
                ));
            }
            return Ok(AttrPath::from_checked(None, name, sub_attr));
        }
        let end = start + rest.iter().take_while(|&&b| is_urn_char(b)).count();
        // Split at the last `:`: the attribute part never contains one.
        let colon = start + self.text(start, end).rfind(':').unwrap_or("urn".len());
        let schema = self.text(start, colon);
        if schema.len() <= "urn:".len() {
            return Err(Self::error(
                start,
                "expected a schema URN (`urn:<namespace>:<name>`) followed by `:` and an \
                 attribute name",
            ));
        }
        if schema.ends_with(':') || schema.as_bytes().get(4) == Some(&b':') {
            return Err(Self::error(
                start,
                "the schema URN has an empty segment (`::`)",
            ));
        }
        self.pos = colon + 1;
        let (name, sub_attr) = self.name_and_sub()?;
        if self.pos != end {
            return Err(Self::error(
                self.pos,
                format!("unexpected {} in an attribute path", self.found(self.pos)),
            ));
        }
        Ok(AttrPath::from_checked(
            Some(schema.to_owned()),
            name,
            sub_attr,
        ))
    }

    // ----- filters --------------------------------------------------------------------------

    /// A complete filter: the whole input, surrounding whitespace allowed.
    pub(crate) fn filter(&mut self) -> Result<Filter, SyntaxError> {
        self.skip_ws();
        let (filter, _) = self.expression(Closer::End)?;
        self.skip_ws();
        self.expect_end("`and`, `or` or the end of the filter")?;
        Ok(filter)
    }

    /// `"[" valFilter "]"`, at a `[`. Returns the inner filter.
    pub(crate) fn value_filter(&mut self) -> Result<Filter, SyntaxError> {
        self.enter(self.pos)?;
        self.expect_byte(b'[', "`[`")?;
        self.skip_ws();
        let (inner, _) = self.expression(Closer::Bracket)?;
        self.close(b']', "`]`")?;
        Ok(inner)
    }

    /// Skips whitespace, then the closing `byte`, and leaves a level of nesting.
    fn close(&mut self, byte: u8, what: &str) -> Result<(), SyntaxError> {
        self.skip_ws();
        self.expect_byte(byte, what)?;
        self.leave();
        Ok(())
    }

    /// An expression up to (not including) `closer`, and the height of its tree.
    ///
    /// Groups, `not (...)` and value filters open frames on an explicit stack instead of
    /// recursing, so the native stack use does not depend on the input.
    fn expression(&mut self, closer: Closer) -> Result<(Filter, usize), SyntaxError> {
        let mut stack = vec![Frame::new(Opened::Base(closer), self.pos)];
        loop {
            // An operand, or the opening of a nested expression.
            let start = self.pos;
            let mut operand = match self.operand()? {
                Operand::Leaf(filter) => (filter, 1),
                Operand::Open(opened, next) => {
                    self.enter(start)?;
                    self.pos = next;
                    self.skip_ws();
                    stack.push(Frame::new(opened, start));
                    continue;
                }
            };
            // Fold the operand in; close every frame that ends here.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Err(Self::error(self.pos, "internal error: no open expression"));
                };
                frame.push_and(operand)?;
                if let Some((logic, keyword, next)) = self.peek_logic(frame.closer())? {
                    frame.keyword = keyword;
                    if logic == Logic::Or {
                        frame.fold_or()?;
                    }
                    self.pos = next;
                    break;
                }
                // The closer is next: this expression is complete.
                frame.fold_or()?;
                let Some(frame) = stack.pop() else {
                    return Err(Self::error(self.pos, "internal error: no open expression"));
                };
                let (inner, height) = frame
                    .or
                    .ok_or_else(|| Self::error(self.pos, "internal error: empty expression"))?;
                operand = match frame.opened {
                    Opened::Base(_) => return Ok((inner, height)),
                    Opened::Group => {
                        self.close(b')', "`)`")?;
                        (inner, height)
                    }
                    Opened::Not => {
                        self.close(b')', "`)`")?;
                        let height = check_height(height + 1, frame.start)?;
                        (Filter::Not(Box::new(inner)), height)
                    }
                    Opened::Value(attr) => {
                        self.close(b']', "`]`")?;
                        let height = check_height(height + 1, frame.start)?;
                        let filter = Box::new(inner);
                        (Filter::ValuePath { attr, filter }, height)
                    }
                };
            }
        }
    }

    /// After an operand: is a logical operator next? Does not move the cursor; returns the
    /// operator, where it is and where its right operand starts. `None` when `closer` is next.
    fn peek_logic(&self, closer: Closer) -> Result<Option<(Logic, usize, usize)>, SyntaxError> {
        let ws = self.ws_len(self.pos);
        let at = self.pos + ws;
        let at_closer = match self.byte_at(at) {
            None => closer == Closer::End,
            Some(b')') => closer == Closer::Paren,
            Some(b']') => closer == Closer::Bracket,
            Some(_) => false,
        };
        if at_closer {
            return Ok(None);
        }
        let end = self.name_run(at);
        let word = self.text(at, end);
        let logic = if word.eq_ignore_ascii_case("and") {
            Logic::And
        } else if word.eq_ignore_ascii_case("or") {
            Logic::Or
        } else {
            let what = match closer {
                Closer::End => "`and`, `or` or the end of the filter",
                Closer::Paren => "`and`, `or` or `)`",
                Closer::Bracket => "`and`, `or` or `]`",
            };
            return Err(self.expected(at, what));
        };
        if ws == 0 {
            return Err(Self::error(
                at,
                format!("expected whitespace before `{word}`"),
            ));
        }
        let after = self.ws_len(end);
        if after == 0 {
            return Err(self.expected(end, &format!("whitespace after `{word}`")));
        }
        Ok(Some((logic, at, end + after)))
    }

    /// The start of an operand: a group, `not (`, a value path, or a whole attribute expression.
    fn operand(&mut self) -> Result<Operand, SyntaxError> {
        let start = self.pos;
        match self.peek() {
            Some(b'(') => return Ok(Operand::Open(Opened::Group, start + 1)),
            Some(b) if b.is_ascii_alphabetic() || b == b'$' => {}
            _ => return Err(self.expected(start, "an attribute path, `(` or `not`")),
        }
        // `not (` or `not(` (erratum 7319); `not` followed by anything else is an attribute.
        let word_end = self.name_run(start);
        if self.text(start, word_end).eq_ignore_ascii_case("not") {
            let paren = word_end + self.ws_len(word_end);
            if self.byte_at(paren) == Some(b'(') {
                return Ok(Operand::Open(Opened::Not, paren + 1));
            }
        }
        let path = self.attr_path()?;
        if self.at(b'[') {
            return Ok(Operand::Open(Opened::Value(path), self.pos + 1));
        }
        self.attr_expr(path).map(Operand::Leaf)
    }

    /// `attrPath SP "pr"` or `attrPath SP compareOp SP compValue`, after the path.
    fn attr_expr(&mut self, path: AttrPath) -> Result<Filter, SyntaxError> {
        if self.peek().is_none_or(|b| !is_ws(b)) {
            return Err(self.expected(
                self.pos,
                "whitespace and an operator after the attribute path",
            ));
        }
        self.skip_ws();
        let op_start = self.pos;
        let op_end = self.name_run(op_start);
        let word = self.text(op_start, op_end);
        if word.eq_ignore_ascii_case("pr") {
            self.pos = op_end;
            return Ok(Filter::Present(path));
        }
        let Some(op) = CompareOp::from_keyword(word) else {
            return Err(self.expected(op_start, "a comparison operator"));
        };
        self.pos = op_end;
        if self.skip_ws() == 0 {
            return Err(self.expected(self.pos, &format!("whitespace after `{word}`")));
        }
        let value = self.comp_value()?;
        Ok(Filter::Compare { path, op, value })
    }

    // ----- comparison values ----------------------------------------------------------------

    /// `compValue = false / null / true / number / string`, as in JSON.
    fn comp_value(&mut self) -> Result<CompValue, SyntaxError> {
        const WHAT: &str = "a comparison value (a JSON string in double quotes, a number, \
                            `true`, `false` or `null`)";
        let start = self.pos;
        match self.peek() {
            Some(b'"') => self.string().map(CompValue::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(CompValue::Number),
            Some(b) if b.is_ascii_alphabetic() => {
                let end = self.name_run(start);
                let value = match self.text(start, end) {
                    "true" => CompValue::Bool(true),
                    "false" => CompValue::Bool(false),
                    "null" => CompValue::Null,
                    _ => return Err(self.expected(start, WHAT)),
                };
                self.pos = end;
                Ok(value)
            }
            Some(b'\'') => Err(Self::error(
                start,
                format!("expected {WHAT}, found `'`: strings take double quotes"),
            )),
            _ => Err(self.expected(start, WHAT)),
        }
    }

    /// A JSON string, at its opening quote.
    fn string(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let mut i = start + 1;
        loop {
            match self.byte_at(i) {
                None => {
                    return Err(Self::error(
                        start,
                        "unterminated string: expected a closing `\"`",
                    ));
                }
                Some(b'"') => break,
                Some(b'\\') => match self.byte_at(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let hex = self.bytes.get(i + 2..i + 6);
                        if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            return Err(Self::error(
                                i,
                                "invalid `\\u` escape: expected four hexadecimal digits",
                            ));
                        }
                        i += 6;
                    }
                    _ => {
                        return Err(Self::error(
                            i,
                            "invalid escape in string: expected one of \
                             `\\\"` `\\\\` `\\/` `\\b` `\\f` `\\n` `\\r` `\\t` `\\uXXXX`",
                        ));
                    }
                },
                Some(b) if b < 0x20 => {
                    return Err(Self::error(
                        i,
                        "control character in string: it must be escaped (for example `\\n`)",
                    ));
                }
                Some(_) => i += 1,
            }
        }
        let literal = self.text(start, i + 1);
        let value = serde_json::from_str::<String>(literal).map_err(|_| {
            Self::error(
                start,
                "invalid string: a `\\u` escape is an unpaired UTF-16 surrogate",
            )
        })?;
        self.pos = i + 1;
        Ok(value)
    }

    /// A JSON number, at its first character.
    fn number(&mut self) -> Result<Number, SyntaxError> {
        let start = self.pos;
        let digits = |from: usize| {
            from + self.bytes.get(from..).map_or(0, |rest| {
                rest.iter().take_while(|b| b.is_ascii_digit()).count()
            })
        };
        let mut i = start;
        if self.byte_at(i) == Some(b'-') {
            i += 1;
        }
        match self.byte_at(i) {
            Some(b'0') => {
                i += 1;
                if self.byte_at(i).is_some_and(|b| b.is_ascii_digit()) {
                    return Err(Self::error(i, "a number cannot have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => i = digits(i),
            _ => return Err(self.expected(i, "a digit")),
        }
        let mut integer = true;
        if self.byte_at(i) == Some(b'.') {
            integer = false;
            let end = digits(i + 1);
            if end == i + 1 {
                return Err(self.expected(end, "a digit after the decimal point"));
            }
            i = end;
        }
        if matches!(self.byte_at(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(self.byte_at(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let end = digits(i);
            if end == i {
                return Err(self.expected(end, "a digit in the exponent"));
            }
            i = end;
        }
        let literal = self.text(start, i);
        // Integers stay integers; decimals go through the standard library's correctly rounded
        // parser, so that every f64 prints and parses back to itself.
        let number = if integer {
            literal
                .parse::<u64>()
                .map(Number::from)
                .or_else(|_| literal.parse::<i64>().map(Number::from))
                .ok()
        } else {
            None
        };
        let number = match number {
            Some(number) => number,
            None => literal
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .ok_or_else(|| Self::error(start, "number out of range"))?,
        };
        self.pos = i;
        Ok(number)
    }
}
