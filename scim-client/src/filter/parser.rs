//! The recursive-descent parser shared by filters, attribute paths and PATCH paths.
//!
//! Positions are byte offsets into the input. The parser only ever stops on ASCII bytes, so every
//! position it reports is a character boundary.
//!
//! Recursion happens only for `(`, `not (` and `[`, each of which counts as one level of
//! nesting, bounded by [`MAX_NESTING`]. Chains of `and` / `or` are parsed in a loop into
//! left-leaning trees whose height is bounded by [`MAX_HEIGHT`], so that the derived `Drop`,
//! `Clone`, `PartialEq` and `Debug` (which recurse) stay shallow too.

use serde_json::Number;

use crate::filter::{CompValue, CompareOp, Filter};
use crate::path::AttrPath;

/// How many levels of `(`, `not (` and `[` a filter may nest.
pub(crate) const MAX_NESTING: usize = 64;

/// How tall the syntax tree of a parsed filter may be: every `and`, `or`, `not` and `[...]`
/// adds a level over its operands.
pub(crate) const MAX_HEIGHT: usize = 1024;

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
        let (filter, _) = self.or_expr(Closer::End)?;
        self.skip_ws();
        self.expect_end("`and`, `or` or the end of the filter")?;
        Ok(filter)
    }

    /// `"[" valFilter "]"`, at a `[`. Returns the inner filter.
    pub(crate) fn value_filter(&mut self) -> Result<Filter, SyntaxError> {
        self.value_filter_with_height().map(|(filter, _)| filter)
    }

    fn value_filter_with_height(&mut self) -> Result<(Filter, usize), SyntaxError> {
        self.enter(self.pos)?;
        self.expect_byte(b'[', "`[`")?;
        self.skip_ws();
        let inner = self.or_expr(Closer::Bracket)?;
        self.skip_ws();
        self.expect_byte(b']', "`]`")?;
        self.leave();
        Ok(inner)
    }

    /// After an operand: is a logical operator next? Does not move the cursor; returns the
    /// operator and where its right operand starts.
    fn peek_logic(&self, closer: Closer) -> Result<Option<(Logic, usize)>, SyntaxError> {
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
        Ok(Some((logic, end + after)))
    }

    /// `or`-separated terms, left-associative.
    fn or_expr(&mut self, closer: Closer) -> Result<(Filter, usize), SyntaxError> {
        let (mut left, mut height) = self.and_expr(closer)?;
        while let Some((Logic::Or, next)) = self.peek_logic(closer)? {
            let keyword = self.pos + self.ws_len(self.pos);
            self.pos = next;
            let (right, right_height) = self.and_expr(closer)?;
            height = Self::check_height(1 + height.max(right_height), keyword)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok((left, height))
    }

    /// `and`-separated factors, left-associative.
    fn and_expr(&mut self, closer: Closer) -> Result<(Filter, usize), SyntaxError> {
        let (mut left, mut height) = self.unary()?;
        while let Some((Logic::And, next)) = self.peek_logic(closer)? {
            let keyword = self.pos + self.ws_len(self.pos);
            self.pos = next;
            let (right, right_height) = self.unary()?;
            height = Self::check_height(1 + height.max(right_height), keyword)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok((left, height))
    }

    /// `( FILTER )`, the rest of a parenthesised group, the cursor just past `(`.
    fn group(&mut self) -> Result<(Filter, usize), SyntaxError> {
        self.skip_ws();
        let inner = self.or_expr(Closer::Paren)?;
        self.skip_ws();
        self.expect_byte(b')', "`)`")?;
        self.leave();
        Ok(inner)
    }

    /// A group, `not (...)`, a value path or an attribute expression.
    fn unary(&mut self) -> Result<(Filter, usize), SyntaxError> {
        let start = self.pos;
        match self.peek() {
            Some(b'(') => {
                self.enter(start)?;
                self.bump();
                return self.group();
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'$' => {}
            _ => return Err(self.expected(start, "an attribute path, `(` or `not`")),
        }

        // `not (` or `not(` (erratum 7319); `not` followed by anything else is an attribute.
        let word_end = self.name_run(start);
        if self.text(start, word_end).eq_ignore_ascii_case("not") {
            let paren = word_end + self.ws_len(word_end);
            if self.byte_at(paren) == Some(b'(') {
                self.enter(start)?;
                self.pos = paren + 1;
                let (inner, height) = self.group()?;
                let height = Self::check_height(height + 1, start)?;
                return Ok((Filter::Not(Box::new(inner)), height));
            }
        }

        let path = self.attr_path()?;
        if self.at(b'[') {
            let (inner, height) = self.value_filter_with_height()?;
            let height = Self::check_height(height + 1, start)?;
            return Ok((
                Filter::ValuePath {
                    attr: path,
                    filter: Box::new(inner),
                },
                height,
            ));
        }

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
            return Ok((Filter::Present(path), 1));
        }
        let Some(op) = CompareOp::from_keyword(word) else {
            return Err(self.expected(op_start, "a comparison operator"));
        };
        self.pos = op_end;
        if self.skip_ws() == 0 {
            return Err(self.expected(self.pos, &format!("whitespace after `{word}`")));
        }
        let value = self.comp_value()?;
        Ok((Filter::Compare { path, op, value }, 1))
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
