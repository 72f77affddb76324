//! Wire names from Rust field names, and typo suggestions.

/// `external_id` -> `externalId`; a leading `r#` is dropped.
pub(crate) fn camel_case(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel() {
        assert_eq!(camel_case("external_id"), "externalId");
        assert_eq!(camel_case("x509_certificates"), "x509Certificates");
        assert_eq!(camel_case("r#type"), "type");
        assert_eq!(camel_case("user_name"), "userName");
        assert_eq!(camel_case("_private"), "private");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("mutabilty", &["mutability", "returned"]),
            Some("mutability")
        );
        assert_eq!(
            suggest("caseexact", &["case_exact", "rename"]),
            Some("case_exact")
        );
        assert_eq!(suggest("zzzzzz", &["rename"]), None);
    }
}
