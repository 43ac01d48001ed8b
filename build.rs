//! Rebuild when a migration is added or changed: `embed_migrations!` reads
//! the `migrations/` folder, which cargo does not otherwise watch.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
