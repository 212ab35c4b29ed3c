//! Patterns that a backtracking matcher can take exponential time on.
//!
//! `validate()` matches `pattern` with an ECMA-262 engine that backtracks, as JavaScript's
//! does. A repeated group whose body can itself match the same text in more than one way
//! (`([a-z]*)*`, `(\w+\s?)*`) makes a string that fails to match try every way of splitting
//! it, which doubles with each character. Real descriptions have such patterns (a URL pattern
//! `([\/\w \.-]*)*` in one of them), so the generator finds them, says so, and does not match
//! the schema's own examples against them.
//!
//! The test is the classic one: a group repeated without an upper bound (`*`, `+`, `{n,}`)
//! with an alternative made only of items that may be skipped or repeated without bound, at
//! least one of them unbounded. It finds the common shapes, not every slow pattern.

/// The first group of `pattern` that repeats a body which repeats too, as written
/// (`([\/\w \.-]*)*`), if any. A pattern that does not parse has none.
pub fn nested_repetition(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser {
        chars: &chars,
        at: 0,
        found: None,
    };
    parser.alternatives(0);
    parser.found
}

/// How often an item may repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Repeat {
    /// At least once.
    required: bool,
    /// No upper bound.
    unbounded: bool,
}

const ONCE: Repeat = Repeat {
    required: true,
    unbounded: false,
};

/// Deepest group nesting looked into; deeper patterns are not judged.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    chars: &'a [char],
    at: usize,
    found: Option<String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// Reads alternatives up to a `)` or the end; for each, whether it is made only of
    /// items that may be skipped or repeated without bound, with one unbounded.
    fn alternatives(&mut self, depth: usize) -> Vec<bool> {
        let mut branches = Vec::new();
        loop {
            branches.push(self.sequence(depth));
            match self.peek() {
                Some('|') => self.at += 1,
                _ => return branches,
            }
        }
    }

    /// Reads one alternative; see [`Parser::alternatives`].
    fn sequence(&mut self, depth: usize) -> bool {
        let mut all_loose = true;
        let mut any_unbounded = false;
        let mut empty = true;
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let start = self.at;
            let inner = self.atom(depth);
            let repeat = self.quantifier();
            empty = false;
            if let Some(branches) = inner {
                if repeat.unbounded && branches.iter().any(|&loose| loose) && self.found.is_none() {
                    let end = self.at.min(self.chars.len());
                    let text: String = self.chars.get(start..end).unwrap_or(&[]).iter().collect();
                    self.found = Some(text);
                }
                // A group counts as unbounded inside when one of its alternatives is.
                if branches.iter().any(|&loose| loose) {
                    any_unbounded = true;
                    continue;
                }
            }
            if repeat.unbounded {
                any_unbounded = true;
            } else if repeat.required {
                all_loose = false;
            }
        }
        !empty && all_loose && any_unbounded
    }

    /// Reads one atom; for a group, its alternatives (see [`Parser::alternatives`]).
    fn atom(&mut self, depth: usize) -> Option<Vec<bool>> {
        match self.peek() {
            Some('\\') => {
                self.at += 2;
                None
            }
            Some('[') => {
                self.at += 1;
                // A `]` right after `[` or `[^` is a character in ECMA-262 only in Annex B's
                // reading; either way the class ends at the next unescaped `]`.
                while let Some(c) = self.peek() {
                    self.at += 1;
                    match c {
                        '\\' => self.at += 1,
                        ']' => break,
                        _ => {}
                    }
                }
                None
            }
            Some('(') => {
                self.at += 1;
                let lookaround = self.group_prefix();
                if depth >= MAX_DEPTH {
                    self.skip_group();
                    return None;
                }
                let branches = self.alternatives(depth + 1);
                if self.peek() == Some(')') {
                    self.at += 1;
                }
                // A lookaround matches no text: repeating it cannot split a string.
                (!lookaround).then_some(branches)
            }
            _ => {
                self.at += 1;
                None
            }
        }
    }

    /// Skips `?:`, `?=`, `?!`, `?<=`, `?<!` and `?<name>` after a `(`; whether the group is a
    /// lookaround.
    fn group_prefix(&mut self) -> bool {
        if self.peek() != Some('?') {
            return false;
        }
        self.at += 1;
        match self.peek() {
            Some(':') => {
                self.at += 1;
                false
            }
            Some('=' | '!') => {
                self.at += 1;
                true
            }
            Some('<') => {
                self.at += 1;
                match self.peek() {
                    Some('=' | '!') => {
                        self.at += 1;
                        true
                    }
                    _ => {
                        while let Some(c) = self.peek() {
                            self.at += 1;
                            if c == '>' {
                                break;
                            }
                        }
                        false
                    }
                }
            }
            _ => false,
        }
    }

    /// Skips to after the `)` that closes the group just opened.
    fn skip_group(&mut self) {
        let mut open = 1usize;
        while let Some(c) = self.peek() {
            self.at += 1;
            match c {
                '\\' => self.at += 1,
                '(' => open += 1,
                ')' => {
                    open -= 1;
                    if open == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads the quantifier after an atom, if any (and a lazy `?` after it).
    fn quantifier(&mut self) -> Repeat {
        let repeat = match self.peek() {
            Some('*') => Repeat {
                required: false,
                unbounded: true,
            },
            Some('+') => Repeat {
                required: true,
                unbounded: true,
            },
            Some('?') => Repeat {
                required: false,
                unbounded: false,
            },
            Some('{') => return self.braces(),
            _ => return ONCE,
        };
        self.at += 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        repeat
    }

    /// Reads `{n}`, `{n,}` or `{n,m}`; anything else is a literal `{`, left to be read as
    /// an atom.
    fn braces(&mut self) -> Repeat {
        let rest: String = self
            .chars
            .get(self.at..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&c| c != '}')
            .collect();
        let Some(body) = rest.strip_prefix('{') else {
            return ONCE;
        };
        let (min, max) = match body.split_once(',') {
            Some((min, max)) => (min, Some(max)),
            None => (body, None),
        };
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(min) || max.is_some_and(|m| !m.is_empty() && !digits(m)) {
            return ONCE;
        }
        if self.chars.get(self.at + rest.chars().count()) != Some(&'}') {
            return ONCE;
        }
        self.at += rest.chars().count() + 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        Repeat {
            required: min.chars().any(|c| c != '0'),
            unbounded: max == Some(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::nested_repetition;

    #[test]
    fn a_repeated_group_whose_body_repeats_is_found() {
        let url = r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$";
        assert_eq!(nested_repetition(url).as_deref(), Some(r"([\/\w \.-]*)*"));
        assert_eq!(
            nested_repetition(r"^(\w+\s?)*$").as_deref(),
            Some(r"(\w+\s?)*")
        );
        assert_eq!(nested_repetition("(a+)+b").as_deref(), Some("(a+)+"));
        assert_eq!(
            nested_repetition("(?:x*){2,}").as_deref(),
            Some("(?:x*){2,}")
        );
        assert_eq!(nested_repetition("((a*))*").as_deref(), Some("((a*))*"));
    }

    #[test]
    fn repetitions_that_split_a_string_one_way_only_are_not() {
        for p in [
            r"^[a-z]+(-[a-z]+)*$",
            r"^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.?&\%-=])*\/?$",
            r"(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@x",
            "(a+){3}",
            "(?=a*)+",
            r"\(a*\)*",
            "[(a*)]*",
            "^[A-Z]{3}$",
            "",
            "(((",
            "a{2,",
        ] {
            assert_eq!(nested_repetition(p), None, "{p}");
        }
    }
}
