//! The checks of the internationalized formats `idn-hostname` (RFC 5890-5893, IDNA2008) and
//! `idn-email` (RFC 6531), which need Unicode data: UTS 46 processing from the `idna` crate
//! (Punycode, the Bidi rule, the joiner rules, hyphens and lengths) and character properties
//! from `icu_properties` (the code point rules of RFC 5892 and its contextual rules).
//!
//! The generator copies this file into a crate only when one of its schemas uses one of
//! these formats, and adds both crates to its manifest then; this file is copied verbatim,
//! do not edit the copy.

use icu_properties::props::{
    ChangesWhenNfkcCasefolded, DefaultIgnorableCodePoint, GeneralCategory, HangulSyllableType,
    NoncharacterCodePoint, Script, WhiteSpace,
};
use icu_properties::{CodePointMapData, CodePointSetData};
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

/// The check of `idn-hostname`.
pub(super) const IDN_HOSTNAME: Option<fn(&[u8]) -> bool> = Some(is_idn_hostname);
/// The check of `idn-email`.
pub(super) const IDN_EMAIL: Option<fn(&[u8]) -> bool> = Some(is_idn_email);

/// RFC 6531 `Mailbox`: an RFC 5322 address whose local part may hold any non-ASCII text, at an
/// internationalized host name or an address literal.
fn is_idn_email(b: &[u8]) -> bool {
    super::is_mailbox(b, true, is_idn_hostname)
}

/// An internationalized host name: dot-separated labels, each an LDH label as `hostname`
/// has them (any case; an `xn--` label must hold the Punycode of a valid U-label) or a
/// U-label, and the whole name valid for UTS 46 `ToASCII` with the STD3 rules, hyphen checks
/// and DNS lengths (at most 63 octets a label, 253 the name, in its ASCII form).
fn is_idn_hostname(b: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(b) else {
        return false;
    };
    if text.is_empty() || (text.is_ascii() && !super::is_hostname(b)) {
        return false;
    }
    let uts46 = Uts46::new();
    if uts46
        .to_ascii(b, AsciiDenyList::STD3, Hyphens::Check, DnsLength::Verify)
        .is_err()
    {
        return false;
    }
    // `ToASCII` maps before it checks (case, compatibility forms, normalization) and decodes
    // `xn--` labels: each label as written must already be in the form it maps to.
    let (unicode, result) = uts46.to_unicode(b, AsciiDenyList::STD3, Hyphens::Check);
    if result.is_err() {
        return false;
    }
    let mut written = text.split('.');
    unicode.split('.').all(|label| {
        let Some(original) = written.next() else {
            return false;
        };
        if original.is_ascii() {
            // An LDH label, checked above; an `xn--` one decodes to `label`.
            original.eq_ignore_ascii_case(label) || is_u_label(label)
        } else {
            original == label && is_u_label(label)
        }
    }) && written.next().is_none()
}

/// Every code point of `label` is PVALID in IDNA2008 (RFC 5892 section 3, from the Unicode
/// data of `icu_properties`), or CONTEXTJ (checked by UTS 46's joiner rules) or CONTEXTO and
/// allowed where it stands (RFC 5892 appendix A).
fn is_u_label(label: &str) -> bool {
    let chars: Vec<char> = label.chars().collect();
    chars.iter().enumerate().all(|(i, &c)| match status(c) {
        Status::Valid => true,
        Status::Contextual => contextual_ok(&chars, i),
        Status::Disallowed => false,
    })
}

/// The derived property of RFC 5892 (section 3), with CONTEXTJ counted as valid.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Valid,
    Contextual,
    Disallowed,
}

fn status(c: char) -> Status {
    // Exceptions (section 2.6).
    match c {
        '\u{DF}' | '\u{3C2}' | '\u{6FD}' | '\u{6FE}' | '\u{F0B}' | '\u{3007}' => {
            return Status::Valid
        }
        '\u{B7}'
        | '\u{375}'
        | '\u{5F3}'
        | '\u{5F4}'
        | '\u{30FB}'
        | '\u{660}'..='\u{669}'
        | '\u{6F0}'..='\u{6F9}' => return Status::Contextual,
        '\u{640}' | '\u{7FA}' | '\u{302E}' | '\u{302F}' | '\u{3031}'..='\u{3035}' | '\u{303B}' => {
            return Status::Disallowed
        }
        // LDH (section 2.4) and JoinControl (2.8; UTS 46 checks the joiner rules).
        'a'..='z' | '0'..='9' | '-' | '\u{200C}' | '\u{200D}' => return Status::Valid,
        _ => {}
    }
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    let unassigned = category == GeneralCategory::Unassigned;
    let unstable = CodePointSetData::new::<ChangesWhenNfkcCasefolded>().contains(c);
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointSetData::new::<WhiteSpace>().contains(c)
        || CodePointSetData::new::<NoncharacterCodePoint>().contains(c);
    // IgnorableBlocks (2.5): Combining Diacritical Marks for Symbols, Musical Symbols,
    // Ancient Greek Musical Notation.
    let ignorable_block = matches!(
        c,
        '\u{20D0}'..='\u{20FF}' | '\u{1D100}'..='\u{1D1FF}' | '\u{1D200}'..='\u{1D24F}'
    );
    // OldHangulJamo (2.9): conjoining jamo, L, V or T.
    let jamo = matches!(
        CodePointMapData::<HangulSyllableType>::new().get(c),
        HangulSyllableType::LeadingJamo
            | HangulSyllableType::VowelJamo
            | HangulSyllableType::TrailingJamo
    );
    // LetterDigits (2.1).
    let letter_digit = matches!(
        category,
        GeneralCategory::LowercaseLetter
            | GeneralCategory::UppercaseLetter
            | GeneralCategory::OtherLetter
            | GeneralCategory::DecimalNumber
            | GeneralCategory::ModifierLetter
            | GeneralCategory::NonspacingMark
            | GeneralCategory::SpacingMark
    );
    if unassigned || unstable || ignorable || ignorable_block || jamo || !letter_digit {
        Status::Disallowed
    } else {
        Status::Valid
    }
}

/// The CONTEXTO rules of RFC 5892 appendix A for the code point at `i`.
fn contextual_ok(label: &[char], i: usize) -> bool {
    let script = |c: Option<&char>| c.map(|&c| CodePointMapData::<Script>::new().get(c));
    let before = i.checked_sub(1).and_then(|j| label.get(j));
    let after = label.get(i + 1);
    match label.get(i) {
        // A.3 MIDDLE DOT: between two `l`s (the Catalan `l·l`).
        Some('\u{B7}') => before == Some(&'l') && after == Some(&'l'),
        // A.4 GREEK LOWER NUMERAL SIGN (KERAIA): followed by Greek.
        Some('\u{375}') => script(after) == Some(Script::Greek),
        // A.5, A.6 HEBREW GERESH and GERSHAYIM: after Hebrew.
        Some('\u{5F3}' | '\u{5F4}') => script(before) == Some(Script::Hebrew),
        // A.7 KATAKANA MIDDLE DOT: the label holds Hiragana, Katakana or Han.
        Some('\u{30FB}') => label.iter().any(|c| {
            matches!(
                script(Some(c)),
                Some(Script::Hiragana | Script::Katakana | Script::Han)
            )
        }),
        // A.8, A.9: Arabic-Indic and Extended Arabic-Indic digits are not mixed.
        Some('\u{660}'..='\u{669}') => !label.iter().any(|c| matches!(c, '\u{6F0}'..='\u{6F9}')),
        Some('\u{6F0}'..='\u{6F9}') => !label.iter().any(|c| matches!(c, '\u{660}'..='\u{669}')),
        _ => false,
    }
}
