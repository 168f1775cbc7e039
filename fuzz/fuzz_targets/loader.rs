//! Feeds arbitrary bytes to the loader: as a whole `.beam` file, as an external term,
//! and as a compact-term operand. Any panic (or overflow, or runaway allocation) is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = oxbeam_loader::parse_module(data) {
        // Touch what a consumer would: printing literals, lazy debug info.
        for l in &m.literals {
            let _ = l.to_string();
        }
        let _ = m.decode_debug_info();
        for i in &m.instructions {
            let _ = i.name();
        }
    }
    if let Ok(t) = oxbeam_loader::etf::decode(data) {
        let _ = t.to_string();
    }
    let _ = oxbeam_loader::compact::decode_operand(data);
});
