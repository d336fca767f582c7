//! A mutex helper for data that stays whole whatever point a panic interrupts.

/// Locks `m`, taking over the lock of a holder that panicked: for data that stays whole
/// whatever point a panic interrupts (a diagnostics collector's list, a list of folders, a
/// time), so that one panic never hides what others recorded.
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
