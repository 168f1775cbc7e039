//! Placeholder: generates the opcode table from genop.tab (filled in by the loader work).
fn main() {
    println!("cargo:rerun-if-changed=genop.tab");
}
