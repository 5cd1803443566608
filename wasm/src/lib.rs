//! The playground's WebAssembly module: the page hands it a checkpoint's
//! bytes and JSON requests, and gets JSON back. Every number the page shows
//! comes from here, computed by the same library functions the `encdec`
//! command calls, so the page and the command agree.
//!
//! The interface is four plain functions and a byte buffer, so the page
//! needs no generated glue: the page asks [`encdec_alloc`] for room,
//! writes its bytes there, calls [`encdec_load`] or [`encdec_call`], and
//! reads the answer at [`encdec_answer_ptr`] for [`encdec_answer_len`]
//! bytes. An answer is `{"ok": …}` or `{"error": "…"}`.

use encdec::pipeline::playground::Playground;
use std::cell::RefCell;

thread_local! {
    /// The model the page loaded, and what it last computed.
    static STATE: RefCell<Playground> = RefCell::new(Playground::default());
    /// The last answer, kept until the next call.
    static ANSWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Room for `len` bytes that the page fills; it stays the page's until
/// [`encdec_free`].
#[unsafe(no_mangle)]
pub extern "C" fn encdec_alloc(len: usize) -> *mut u8 {
    let mut room = std::mem::ManuallyDrop::new(vec![0u8; len]);
    room.as_mut_ptr()
}

/// Gives back room from [`encdec_alloc`].
///
/// # Safety
/// `ptr` and `len` must come from one call of [`encdec_alloc`], once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn encdec_free(ptr: *mut u8, len: usize) {
    // SAFETY: the caller passes back what encdec_alloc made, with its length and capacity.
    drop(unsafe { Vec::from_raw_parts(ptr, len, len) });
}

/// Loads the checkpoint in the `len` bytes at `ptr` as the page's model;
/// answers with the model's description.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (from [`encdec_alloc`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn encdec_load(ptr: *const u8, len: usize) -> usize {
    // SAFETY: the caller passes len bytes it wrote.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    answer(STATE.with_borrow_mut(|s| s.load(bytes)))
}

/// Runs the JSON request in the `len` bytes at `ptr` (see
/// [`Playground::call`]); returns the answer's length.
///
/// # Safety
/// `ptr` must point to `len` readable bytes (from [`encdec_alloc`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn encdec_call(ptr: *const u8, len: usize) -> usize {
    // SAFETY: the caller passes len bytes it wrote.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let result = match serde_json::from_slice(bytes) {
        Ok(request) => STATE.with_borrow_mut(|s| s.call(&request)),
        Err(e) => Err(format!("the request is not JSON: {e}")),
    };
    answer(result)
}

/// Where the last answer starts.
#[unsafe(no_mangle)]
pub extern "C" fn encdec_answer_ptr() -> *const u8 {
    ANSWER.with_borrow(|a| a.as_ptr())
}

/// The last answer's length in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn encdec_answer_len() -> usize {
    ANSWER.with_borrow(|a| a.len())
}

/// Keeps `result` as the answer, `{"ok": …}` or `{"error": …}`; returns its length.
fn answer(result: Result<serde_json::Value, String>) -> usize {
    let value = match result {
        Ok(v) => serde_json::json!({ "ok": v }),
        Err(e) => serde_json::json!({ "error": e }),
    };
    let text = value.to_string().into_bytes();
    let len = text.len();
    ANSWER.with_borrow_mut(|a| *a = text);
    len
}
