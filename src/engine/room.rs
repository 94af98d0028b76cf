//! Room set aside ahead for tables whose size an estimate gives.

/// The room to set aside for `expected` items, the number an estimate
/// gives: a little over, since room never used is never touched (and so
/// takes no memory), while a list that must grow is copied whole.
pub fn room_for(expected: usize) -> usize {
    expected.saturating_add(expected / 8)
}

/// Sets `room_for(expected)` aside in `list`. Where the room cannot be
/// had, the list simply grows as it fills.
pub fn make_room<T>(list: &mut Vec<T>, expected: usize) {
    let _ = list.try_reserve(room_for(expected));
}
