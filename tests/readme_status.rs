//! The README's status table must equal `oxbeam status --markdown`.

mod support;

#[test]
fn readme_status_table_is_current() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- status:begin -->\n")
        .expect("status:begin marker")
        + "<!-- status:begin -->\n".len();
    let end = readme
        .find("<!-- status:end -->")
        .expect("status:end marker");
    let out = support::run(support::oxbeam().args(["status", "--markdown"]));
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        &readme[start..end],
        generated,
        "README status table is stale: run `make status`"
    );
}
