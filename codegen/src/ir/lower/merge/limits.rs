//! How two `allOf` parts' values of one keyword combine: the first one written, the
//! tighter bound, the stricter count, the common `multipleOf`.

use crate::ir::{Bound, Number};

pub(super) fn first<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Of two lower (`lower`) or upper bounds of one kind, the tighter, as
/// [`Bound::tightest`] decides.
pub(super) fn tightest(
    a: Option<serde_json::Number>,
    b: Option<serde_json::Number>,
    exclusive: bool,
    lower: bool,
) -> Option<serde_json::Number> {
    let (Some(a), Some(b)) = (&a, &b) else {
        return a.or(b);
    };
    let bound = |n: &serde_json::Number| Bound {
        value: Number::from_json(n),
        exclusive,
    };
    let a_wins = Bound::tightest(Some(bound(a)), Some(bound(b)), lower) == Some(bound(a));
    Some(if a_wins { a.clone() } else { b.clone() })
}

pub(super) fn max(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

pub(super) fn min(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The one `multipleOf` that says what two do: the least common multiple of two
/// decimals (a multiple of both is a multiple of it: `0.5` and `2.0` give `2.0`, `2.5` and
/// `1.5` give `7.5`). `None` for a negative or exponent-written number, or when it does not
/// fit in 64 bits once both are scaled to whole numbers.
pub(super) fn common_multiple(
    a: &serde_json::Number,
    b: &serde_json::Number,
) -> Option<serde_json::Number> {
    let ((x, sx), (y, sy)) = (decimal(a)?, decimal(b)?);
    let scale = sx.max(sy);
    let x = x.checked_mul(10u64.checked_pow(scale - sx)?)?;
    let y = y.checked_mul(10u64.checked_pow(scale - sy)?)?;
    if x == 0 || y == 0 {
        return None;
    }
    let (mut m, mut n) = (x, y);
    while n != 0 {
        (m, n) = (n, m % n);
    }
    let lcm = (x / m).checked_mul(y)?;
    if a.is_u64() && b.is_u64() {
        return Some(serde_json::Number::from(lcm));
    }
    let unit = 10u64.checked_pow(scale)?;
    let width = scale as usize;
    let text = format!("{}.{:0width$}", lcm / unit, lcm % unit);
    let merged: serde_json::Number = serde_json::from_str(&text).ok()?;
    // A float that does not hold the decimal exactly would check another multiple.
    let (digits, places) = decimal(&merged)?;
    let exact =
        places <= scale && digits.checked_mul(10u64.checked_pow(scale - places)?) == Some(lcm);
    exact.then_some(merged)
}

/// A non-negative number written in decimals as whole digits and the count of them after
/// the point (`2.50` is `(25, 1)`).
pub(super) fn decimal(n: &serde_json::Number) -> Option<(u64, u32)> {
    let text = n.to_string();
    if text.contains(['e', 'E', '-']) {
        return None;
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let digits: u64 = format!("{whole}{fraction}").parse().ok()?;
    Some((digits, u32::try_from(fraction.len()).ok()?))
}

#[cfg(test)]
mod tests {
    use super::{common_multiple, max, min, tightest};
    use serde_json::Number;

    fn n(text: &str) -> Number {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn two_whole_multiples_merge_to_their_least_common_multiple() {
        assert_eq!(common_multiple(&n("4"), &n("6")), Some(n("12")));
        assert_eq!(common_multiple(&n("3"), &n("9")), Some(n("9")));
        assert_eq!(common_multiple(&n("7"), &n("5")), Some(n("35")));
    }

    #[test]
    fn decimal_fractions_merge_to_their_least_common_multiple() {
        assert_eq!(common_multiple(&n("0.5"), &n("2.0")), Some(n("2.0")));
        assert_eq!(common_multiple(&n("0.5"), &n("3")), Some(n("3.0")));
        assert_eq!(common_multiple(&n("2.5"), &n("1.5")), Some(n("7.5")));
        assert_eq!(common_multiple(&n("0.25"), &n("0.5")), Some(n("0.5")));
        assert_eq!(common_multiple(&n("1e-3"), &n("3")), Some(n("3.0")));
    }

    #[test]
    fn negative_exponent_and_overflow_have_no_single_multiple() {
        assert_eq!(common_multiple(&n("-0.5"), &n("3")), None);
        assert_eq!(
            common_multiple(&n("18446744073709551557"), &n("18446744073709551533")),
            None
        );
    }

    #[test]
    fn merged_bounds_keep_the_tighter_number_as_written() {
        // Lower bounds: the higher one; upper bounds: the lower one, whichever part gave it.
        assert_eq!(
            tightest(Some(n("1")), Some(n("18")), false, true),
            Some(n("18"))
        );
        assert_eq!(
            tightest(Some(n("18")), Some(n("1")), false, true),
            Some(n("18"))
        );
        assert_eq!(
            tightest(Some(n("65")), Some(n("99.5")), false, false),
            Some(n("65"))
        );
        assert_eq!(tightest(None, Some(n("0.5")), true, false), Some(n("0.5")));
        // At an equal limit the first part's spelling is kept.
        assert_eq!(
            tightest(Some(n("5.0")), Some(n("5")), false, true),
            Some(n("5.0"))
        );
    }

    #[test]
    fn merged_integer_bounds_compare_exactly_beyond_float_precision() {
        // Both round to the same f64; only an exact comparison tells them apart.
        let (high, low) = (n("9007199254740993"), n("9007199254740992"));
        assert_eq!(
            tightest(Some(low.clone()), Some(high.clone()), false, true),
            Some(high.clone())
        );
        assert_eq!(
            tightest(Some(high), Some(low.clone()), false, false),
            Some(low)
        );
    }

    #[test]
    fn merged_counts_keep_the_stricter_limit() {
        assert_eq!(max(Some(2), Some(5)), Some(5));
        assert_eq!(min(Some(2), Some(5)), Some(2));
        assert_eq!(max(None, Some(3)), Some(3));
        assert_eq!(min(Some(3), None), Some(3));
    }
}
