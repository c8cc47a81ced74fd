//! Framework apps configured to export static files instead of running a server: Next.js
//! with `output: 'export'` (to `out/`, or `distDir`) and SvelteKit with adapter-static (to
//! `build/`, or the adapter's `pages`). Checked before the framework's server is assumed; the
//! site is then served like any other static site (`static_site.rs`).

use super::package_json::PackageJson;
use super::static_site::{config_value, first_config, StaticSite};
use crate::facts::{Evidence, Fact};
use crate::repo::{join, RepoTree};
use regex::Regex;
use std::sync::LazyLock;

static NEXT_EXPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"output\s*:\s*['"`]export['"`]"#).expect("valid pattern"));
static NEXT_DIST_DIR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"distDir\s*:\s*['"`]([^'"`]+)['"`]"#).expect("valid pattern"));
static ADAPTER_STATIC_PAGES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"pages\s*:\s*['"`]([^'"`]+)['"`]"#).expect("valid pattern"));

/// Where a SvelteKit project configures its adapter, older layout first.
const SVELTEKIT_CONFIGS: &[&str] = &[
    "svelte.config.js",
    "svelte.config.mjs",
    "svelte.config.ts",
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.mts",
];

/// A framework app whose configuration exports it as static files: Next.js with
/// `output: 'export'` (to `out/`, or `distDir`) and SvelteKit with adapter-static (to `build/`,
/// or the adapter's `pages`). These are checked before the framework's server is assumed.
pub fn exported(tree: &RepoTree, dir: &str, pj: &PackageJson) -> Option<StaticSite> {
    if pj.depends_on("next") {
        let (path, text) = first_config(
            tree,
            dir,
            &[
                "next.config.js",
                "next.config.mjs",
                "next.config.ts",
                "next.config.cjs",
            ],
        )?;
        let found = NEXT_EXPORT.find(&text)?;
        let line = crate::detect::source_scan::line_at(&text, found.start());
        let framework = Fact::new(
            "nextjs".to_string(),
            Evidence::at(path.clone(), Some(line))
                .because("output: 'export': next build writes the site as static files"),
        );
        let output = config_value(
            tree,
            dir,
            &[path.rsplit('/').next().unwrap_or(&path)],
            &NEXT_DIST_DIR,
            "distDir",
        )
        .unwrap_or_else(|| {
            Fact::new(
                "out".to_string(),
                Evidence::at(path, Some(line)).because("output: 'export' writes the site to out/"),
            )
        });
        return Some(StaticSite { framework, output });
    }
    if pj.depends_on("@sveltejs/kit") && pj.depends_on("@sveltejs/adapter-static") {
        // SvelteKit 2 reads svelte.config.js; SvelteKit 3 takes the adapter in vite.config
        // (`sveltekit({ adapter: adapter() })`).
        let (path, line) = SVELTEKIT_CONFIGS.iter().find_map(|name| {
            let path = join(dir, name);
            let text = tree.read_text(&path).ok()?;
            let line = crate::detect::source_scan::line_of(&text, "@sveltejs/adapter-static")?;
            Some((path, line))
        })?;
        let framework = Fact::new(
            "sveltekit".to_string(),
            Evidence::at(path.clone(), Some(line))
                .because("adapter-static: vite build writes the site as static files"),
        );
        let output = config_value(
            tree,
            dir,
            &[path.rsplit('/').next().unwrap_or(&path)],
            &ADAPTER_STATIC_PAGES,
            "adapter-static pages",
        )
        .unwrap_or_else(|| {
            Fact::new(
                "build".to_string(),
                Evidence::at(path, Some(line))
                    .because("adapter-static writes the site to build/ by default"),
            )
        });
        return Some(StaticSite { framework, output });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Option<(String, String, String)> {
        let s = exported_only(files)?;
        Some((
            s.framework.value,
            s.output.value,
            s.output.evidence.source(),
        ))
    }

    #[test]
    fn framework_apps_exported_as_static_files() {
        let next = r#"{"dependencies": {"next": "15.1.0", "react": "19"}}"#;
        let config = "/** @type {import('next').NextConfig} */\nconst nextConfig = {\n  output: 'export',\n};\nexport default nextConfig;\n";
        assert_eq!(
            site(&[("package.json", next), ("next.config.mjs", config)]).unwrap(),
            ("nextjs".into(), "out".into(), "next.config.mjs:3".into())
        );
        let dist = "module.exports = {\n  output: 'export',\n  distDir: 'site',\n}\n";
        assert_eq!(
            site(&[("package.json", next), ("next.config.js", dist)])
                .unwrap()
                .1,
            "site"
        );
        // A server build is not a static site.
        let server = "module.exports = { output: 'standalone' }";
        assert!(exported_only(&[("package.json", next), ("next.config.js", server)]).is_none());

        let kit = r#"{"devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-static": "^3", "vite": "^6"}}"#;
        let svelte = "import adapter from '@sveltejs/adapter-static';\n\nexport default {\n  kit: { adapter: adapter({ pages: 'www', fallback: 'index.html' }) },\n};\n";
        assert_eq!(
            site(&[("package.json", kit), ("svelte.config.js", svelte)]).unwrap(),
            (
                "sveltekit".into(),
                "www".into(),
                "svelte.config.js:4".into()
            )
        );
        let node_adapter = r#"{"devDependencies": {"@sveltejs/kit": "^2", "@sveltejs/adapter-node": "^5", "vite": "^6"}}"#;
        assert!(
            exported_only(&[("package.json", node_adapter), ("svelte.config.js", "")]).is_none()
        );
    }

    fn exported_only(files: &[(&str, &str)]) -> Option<StaticSite> {
        let tree = RepoTree::from_files(files.iter().map(|(p, t)| (*p, *t)));
        let pj = PackageJson::parse("package.json", files[0].1.into()).ok()?;
        exported(&tree, ".", &pj)
    }
}
