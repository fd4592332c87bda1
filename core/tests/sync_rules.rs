//! The server's checks of what a phone sends, beyond the apply rule: the phone's `updated_at`.

use driehoek_core::sync::{check_updated_at, EARLIEST_UPDATE_MS, MAX_AHEAD_MS};

/// Monday 23 November 2026, 09:00 UTC, in milliseconds.
const NOW: i64 = 1_795_424_400_000;

#[test]
fn an_updated_at_far_in_the_future_is_refused() {
    // Bug: `updated_at: i64::MAX` was kept, and as "last writer wins" goes by `updated_at`, no
    // later change of that family's answer could ever replace it.
    assert!(check_updated_at(i64::MAX, NOW).is_err(), "i64::MAX");
    assert!(
        check_updated_at(NOW + MAX_AHEAD_MS + 1, NOW).is_err(),
        "more than a day ahead"
    );
    assert!(
        check_updated_at(NOW + MAX_AHEAD_MS, NOW).is_ok(),
        "a phone whose clock runs up to a day ahead is fine"
    );
}

#[test]
fn an_updated_at_before_2020_is_refused() {
    assert!(check_updated_at(i64::MIN, NOW).is_err());
    assert!(
        check_updated_at(0, NOW).is_err(),
        "1970: a phone without a clock"
    );
    assert!(check_updated_at(EARLIEST_UPDATE_MS - 1, NOW).is_err());
    assert!(check_updated_at(EARLIEST_UPDATE_MS, NOW).is_ok());
    assert!(check_updated_at(NOW, NOW).is_ok());
    let message = check_updated_at(0, NOW).unwrap_err();
    assert!(message.contains("klok"), "says what to check: {message}");
}

#[test]
fn cancelled_is_written_only_when_true_and_read_as_false_when_missing() {
    let content =
        driehoek_core::demo_content(chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let mut activity = content.activities[0].clone();
    let json = serde_json::to_value(&activity).unwrap();
    assert!(
        json.get("cancelled").is_none(),
        "older apps read the content as before"
    );
    activity.cancelled = true;
    let json = serde_json::to_value(&activity).unwrap();
    assert_eq!(json["cancelled"], true);
    let back: driehoek_core::Activity = serde_json::from_value(json).unwrap();
    assert!(back.cancelled);
}
