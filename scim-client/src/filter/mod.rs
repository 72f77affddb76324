//! SCIM filters (RFC 7644 section 3.4.2.2): a syntax tree, a parser, a printer and a local
//! evaluator.
//!
//! A [`Filter`] is built with constructors and combinators, or parsed from text. Printing it
//! (with [`Display`](fmt::Display)) gives the canonical form: operators in lower case, one space
//! between tokens, string values escaped as JSON strings, and parentheses exactly where the
//! precedence needs them (`not` before `and` before `or`). Parsing the printed form gives the
//! same tree back, so values can never inject filter syntax:
//!
//! ```
//! use scim_client::filter::Filter;
//! use scim_client::path::AttrPath;
//!
//! let user_name: AttrPath = "userName".parse()?;
//! let title: AttrPath = "title".parse()?;
//! let filter = Filter::eq(user_name, r#"x" or userName pr or "#)
//!     .and(Filter::present(title.clone()).or(Filter::sw(title, "Tour")));
//! assert_eq!(
//!     filter.to_string(),
//!     r#"userName eq "x\" or userName pr or " and (title pr or title sw "Tour")"#
//! );
//! assert_eq!(Filter::parse(&filter.to_string())?, filter);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The parser follows the ABNF of RFC 7644 Figure 1, with these allowances: operators and the
//! keywords `and`, `or`, `not`, `pr` in any case; any amount of whitespace (space, tab, CR, LF)
//! where the ABNF has one space, and around parentheses and brackets; `not (` with a space
//! (erratum 7319) as well as `not(`; attribute names starting with `$` (`$ref`); nested value
//! filters. It stays strict on everything else: a value must be a JSON literal (`true`,
//! `false`, `null`, a number or a double-quoted string), so `eq User` and `sw 'Group'` are
//! errors, and the whitespace that the ABNF requires around operators must be there
//! (`value eq"x"` is an error). Errors carry the byte position and what was expected:
//!
//! ```
//! use scim_client::filter::Filter;
//!
//! let error = Filter::parse("userName foo \"x\"").unwrap_err();
//! assert_eq!(error.position(), 9);
//! assert_eq!(error.to_string(), "at position 9: expected a comparison operator, found `foo`");
//! ```
//!
//! A filter nests at most 64 levels of `(`, `not (` and `[`, and its syntax tree is at most
//! 512 levels tall (a chain of `and` / `or` adds one level per operator); deeper input is an
//! error, never a stack overflow. Trees built with the constructors are not limited.
//!
//! [`Filter::matches`] evaluates a filter against a resource's JSON, as a service provider would.

use std::fmt;
use std::ops::Not;
use std::str::FromStr;

use serde_json::{Number, Value};

use crate::path::AttrPath;

mod eval;
pub(crate) mod parser;

/// A comparison operator of RFC 7644 Table 3 (`pr`, which takes no value, is
/// [`Filter::Present`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: contains.
    Co,
    /// `sw`: starts with.
    Sw,
    /// `ew`: ends with.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal to.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal to.
    Le,
}

impl CompareOp {
    /// The operator as written in a filter, in lower case: `"eq"`, `"co"`...
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }

    /// The operator spelled `word`, in any case.
    pub(crate) fn from_keyword(word: &str) -> Option<Self> {
        [
            Self::Eq,
            Self::Ne,
            Self::Co,
            Self::Sw,
            Self::Ew,
            Self::Gt,
            Self::Ge,
            Self::Lt,
            Self::Le,
        ]
        .into_iter()
        .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value a comparison compares with: a JSON literal (RFC 7644 `compValue`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CompValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A JSON number. An integer stays an integer; a number written with a fraction or an
    /// exponent is a decimal (`f64`).
    Number(Number),
    /// A string, unescaped. It is printed as a JSON string, so any string is allowed.
    String(String),
}

impl CompValue {
    /// Writes the value as JSON to `w`.
    pub(crate) fn print<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::Null => w.write_str("null"),
            Self::Bool(true) => w.write_str("true"),
            Self::Bool(false) => w.write_str("false"),
            Self::Number(n) => write!(w, "{n}"),
            Self::String(s) => write_json_string(w, s),
        }
    }

    /// About the length of the printed value (exact for strings without escapes).
    pub(crate) fn printed_len(&self) -> usize {
        match self {
            Self::String(s) => s.len() + 2,
            _ => 8,
        }
    }
}

/// Writes `s` as a JSON string, escaped as `serde_json` escapes it (`"`, `\\`, and control
/// characters; `\b \f \n \r \t` short, others as `\u00XX`): no user string can end the
/// literal early, so none can change a filter's structure. Unescaped runs are written whole.
pub(crate) fn write_json_string<W: fmt::Write + ?Sized>(w: &mut W, s: &str) -> fmt::Result {
    /// For each byte: 0 when it is written as is, else the letter of its short escape
    /// (`\\n`...), or `u` for `\\u00XX`.
    static ESCAPE: [u8; 256] = {
        let mut table = [0_u8; 256];
        let mut b = 0;
        while b < 0x20 {
            table[b] = b'u';
            b += 1;
        }
        table[0x08] = b'b';
        table[0x09] = b't';
        table[0x0a] = b'n';
        table[0x0c] = b'f';
        table[0x0d] = b'r';
        table[b'"' as usize] = b'"';
        table[b'\\' as usize] = b'\\';
        table
    };
    const HEX: &[u8; 16] = b"0123456789abcdef";
    w.write_str("\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(offset) = bytes[start..]
        .iter()
        .position(|&b| ESCAPE[usize::from(b)] != 0)
    {
        let i = start + offset;
        // The byte is ASCII, so `start..i` and `i + 1..` fall on character boundaries.
        w.write_str(&s[start..i])?;
        let b = bytes[i];
        let code = match ESCAPE[usize::from(b)] {
            b'u' => [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
            short => [b'\\', short, 0, 0, 0, 0],
        };
        let len = if code[1] == b'u' { 6 } else { 2 };
        w.write_str(std::str::from_utf8(&code[..len]).map_err(|_| fmt::Error)?)?;
        start = i + 1;
    }
    w.write_str(&s[start..])?;
    w.write_str("\"")
}

impl fmt::Display for CompValue {
    /// Prints the value as JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.print(f)
    }
}

impl From<&str> for CompValue {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for CompValue {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<bool> for CompValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<Number> for CompValue {
    fn from(value: Number) -> Self {
        Self::Number(value)
    }
}

macro_rules! comp_value_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for CompValue {
            fn from(value: $t) -> Self {
                Self::Number(Number::from(value))
            }
        }
    )*};
}

comp_value_from_int!(i32, i64, u32, u64);

/// A SCIM filter expression.
///
/// `And` and `Or` are binary; the parser builds chains such as `a and b and c` leaning left
/// (`(a and b) and c`), and the printer writes a right operand of the same operator in
/// parentheses, so that every tree survives printing and parsing unchanged. Parentheses in the
/// input only shape the tree: there is no "group" node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    /// `path op value`, for example `userName eq "bjensen"`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The operator.
        op: CompareOp,
        /// The value compared with.
        value: CompValue,
    },
    /// `path pr`: the attribute has a non-empty value.
    Present(AttrPath),
    /// `left and right`.
    And(Box<Filter>, Box<Filter>),
    /// `left or right`.
    Or(Box<Filter>, Box<Filter>),
    /// `not (filter)`.
    Not(Box<Filter>),
    /// `attr[filter]`: some value of the multi-valued complex attribute `attr` matches
    /// `filter`, whose paths name its sub-attributes (`emails[type eq "work"]`).
    ValuePath {
        /// The multi-valued attribute.
        attr: AttrPath,
        /// The filter each value is tested with.
        filter: Box<Filter>,
    },
}

macro_rules! compare_constructors {
    ($($(#[$doc:meta])* $name:ident => $op:ident;)*) => {$(
        $(#[$doc])*
        #[must_use]
        pub fn $name(path: AttrPath, value: impl Into<CompValue>) -> Self {
            Self::compare(path, CompareOp::$op, value)
        }
    )*};
}

impl Filter {
    /// Parses a filter.
    ///
    /// # Errors
    ///
    /// Returns a [`FilterError`] with the byte position of the first token that does not fit
    /// the grammar and what was expected there, or a depth error for input nested more than 64
    /// levels deep (see the [module documentation](self)).
    pub fn parse(input: &str) -> Result<Self, FilterError> {
        parser::Parser::new(input)
            .filter()
            .map_err(FilterError::from)
    }

    /// `path op value`.
    #[must_use]
    pub fn compare(path: AttrPath, op: CompareOp, value: impl Into<CompValue>) -> Self {
        Self::Compare {
            path,
            op,
            value: value.into(),
        }
    }

    compare_constructors! {
        /// `path eq value`.
        eq => Eq;
        /// `path ne value`.
        ne => Ne;
        /// `path co value`.
        co => Co;
        /// `path sw value`.
        sw => Sw;
        /// `path ew value`.
        ew => Ew;
        /// `path gt value`.
        gt => Gt;
        /// `path ge value`.
        ge => Ge;
        /// `path lt value`.
        lt => Lt;
        /// `path le value`.
        le => Le;
    }

    /// `path pr`.
    #[must_use]
    pub fn present(path: AttrPath) -> Self {
        Self::Present(path)
    }

    /// `attr[filter]`: values of `attr` that match `filter`.
    #[must_use]
    pub fn value_path(attr: AttrPath, filter: Self) -> Self {
        Self::ValuePath {
            attr,
            filter: Box::new(filter),
        }
    }

    /// `self and other`.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        Self::And(Box::new(self), Box::new(other))
    }

    /// `self or other`.
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        Self::Or(Box::new(self), Box::new(other))
    }

    /// `not (self)`. Also available as `!filter`.
    #[must_use]
    #[allow(clippy::should_implement_trait)] // It is implemented too; this one needs no import.
    pub fn not(self) -> Self {
        Self::Not(Box::new(self))
    }

    /// Whether `resource` (a resource's JSON) matches the filter, with every string attribute
    /// compared case-insensitively. See [`matches_with`](Self::matches_with).
    #[must_use]
    pub fn matches(&self, resource: &Value) -> bool {
        self.matches_with(resource, |_| false)
    }

    /// Whether `resource` (a resource's JSON) matches the filter, as RFC 7644 section 3.4.2.2
    /// describes. `case_exact` tells whether a string attribute is `caseExact`; it receives the
    /// path as written in the filter, qualified by the enclosing value path inside `[...]` (so
    /// `emails[value eq "x"]` asks about `emails.value`).
    ///
    /// - Attribute names and schema URNs match keys in any case.
    /// - A URN-prefixed path looks inside the extension object keyed by that URN. When there is
    ///   no such object and the URN is a core schema or is listed in `schemas`, the path is read
    ///   from the top level (`urn:...:core:2.0:User:userName` is `userName`).
    /// - A multi-valued attribute matches if any of its values matches. Compared without a
    ///   sub-attribute, a complex value is represented by its `value` sub-attribute
    ///   (`emails co "example.com"`).
    /// - `pr`: some value is neither `null`, `[]` nor `{}`.
    /// - `eq null` matches an absent or null attribute, `ne null` a present one.
    /// - `ne` matches an absent attribute, and a multi-valued one when some value differs.
    /// - `co`, `sw`, `ew` apply to strings only.
    /// - Ordering (`gt`, `ge`, `lt`, `le`) and equality: two strings that both parse as RFC 3339
    ///   timestamps compare as instants; other strings lexicographically (by code point, after
    ///   lower-casing unless case-exact); numbers by value (integers and decimals compare with
    ///   each other). Booleans only support `eq` and `ne`. Values of different JSON types never
    ///   compare equal.
    /// - `attr[filter]` matches when some value of `attr` matches `filter`.
    #[must_use]
    pub fn matches_with<F>(&self, resource: &Value, case_exact: F) -> bool
    where
        F: Fn(&AttrPath) -> bool,
    {
        eval::eval(self, resource, None, &case_exact)
    }
}

impl Not for Filter {
    type Output = Self;

    /// `not (self)`.
    fn not(self) -> Self {
        Self::Not(Box::new(self))
    }
}

impl FromStr for Filter {
    type Err = FilterError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Filter {
    /// Prints the canonical form (see the [module documentation](self)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.print(f)
    }
}

impl Filter {
    /// The canonical form as a `String`, written straight into a buffer of about the right
    /// size (what `String::from(filter)` answers; `to_string()` gives the same text).
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.printed_len());
        // Writing to a `String` cannot fail.
        let _ = self.print(&mut out);
        out
    }

    /// About the length of the canonical form.
    fn printed_len(&self) -> usize {
        match self {
            Self::Compare { path, op, value } => {
                path.printed_len() + op.as_str().len() + value.printed_len() + 2
            }
            Self::Present(path) => path.printed_len() + 3,
            Self::And(l, r) | Self::Or(l, r) => l.printed_len() + r.printed_len() + 6,
            Self::Not(inner) => inner.printed_len() + 5,
            Self::ValuePath { attr, filter } => attr.printed_len() + filter.printed_len() + 2,
        }
    }

    /// Writes the canonical form to `w`.
    fn print<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        match self {
            Self::Compare { path, op, value } => {
                path.print(w)?;
                w.write_str(" ")?;
                w.write_str(op.as_str())?;
                w.write_str(" ")?;
                value.print(w)
            }
            Self::Present(path) => {
                path.print(w)?;
                w.write_str(" pr")
            }
            Self::And(..) => write_chain(w, self, Logic::And),
            Self::Or(..) => write_chain(w, self, Logic::Or),
            Self::Not(inner) => {
                w.write_str("not(")?;
                inner.print(w)?;
                w.write_str(")")
            }
            Self::ValuePath { attr, filter } => {
                attr.print(w)?;
                w.write_str("[")?;
                filter.print(w)?;
                w.write_str("]")
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Logic {
    And,
    Or,
}

/// Prints a chain of `and` (or of `or`), walking the left spine in a loop rather than by
/// recursion.
fn write_chain<W: fmt::Write + ?Sized>(w: &mut W, filter: &Filter, logic: Logic) -> fmt::Result {
    let keyword = match logic {
        Logic::And => " and ",
        Logic::Or => " or ",
    };
    // The common short chain (`a and b`) needs no list of the right operands.
    if let (Logic::And, Filter::And(left, right)) | (Logic::Or, Filter::Or(left, right)) =
        (logic, filter)
        && !matches!(
            (logic, &**left),
            (Logic::And, Filter::And(..)) | (Logic::Or, Filter::Or(..))
        )
    {
        write_operand(w, left, logic, false)?;
        w.write_str(keyword)?;
        return write_operand(w, right, logic, true);
    }
    let mut rights = Vec::new();
    let mut node = filter;
    while let (Logic::And, Filter::And(left, right)) | (Logic::Or, Filter::Or(left, right)) =
        (logic, node)
    {
        rights.push(&**right);
        node = left;
    }
    write_operand(w, node, logic, false)?;
    for right in rights.into_iter().rev() {
        w.write_str(keyword)?;
        write_operand(w, right, logic, true)?;
    }
    Ok(())
}

/// Prints an operand of `and` / `or`, in parentheses when precedence or left-associativity
/// needs them.
fn write_operand<W: fmt::Write + ?Sized>(
    w: &mut W,
    operand: &Filter,
    parent: Logic,
    right: bool,
) -> fmt::Result {
    let wrap = match operand {
        Filter::Or(..) => parent == Logic::And || right,
        Filter::And(..) => parent == Logic::And && right,
        _ => false,
    };
    if wrap {
        w.write_str("(")?;
        operand.print(w)?;
        w.write_str(")")
    } else {
        operand.print(w)
    }
}

/// A syntax error in a filter.
///
/// Displays as ``at position 12: expected a comparison operator, found `foo` ``.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at position {position}: {message}")]
pub struct FilterError {
    position: usize,
    message: String,
    too_deep: bool,
}

impl FilterError {
    /// The byte offset in the input where the error was found.
    #[must_use]
    pub fn position(&self) -> usize {
        self.position
    }

    /// What was expected and what was found instead, without the position.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the input was rejected for nesting too deep rather than for its syntax.
    #[must_use]
    pub fn is_too_deep(&self) -> bool {
        self.too_deep
    }
}

impl From<parser::SyntaxError> for FilterError {
    fn from(error: parser::SyntaxError) -> Self {
        Self {
            position: error.position,
            message: error.message,
            too_deep: error.too_deep,
        }
    }
}
