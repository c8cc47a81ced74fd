//! Rendering: the only user of Tera. Templates are embedded from `templates/` and may be
//! replaced or added to by a repository's `.dockgen/templates/`. Values reach the output only
//! through escaping filters (`exec`, `json`, `sh`, `yaml`), so a value read from a repository
//! cannot add an instruction, a key or a command.

use crate::error::{Error, Result};
use crate::plan::{Plan, ServicePlan};
use crate::preset::{Preset, Presets};
use crate::repo::join;
use include_dir::{include_dir, Dir};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::Path;

mod filters;
mod outputs;
mod text;

use text::{explained, merged_ignore, tidy};

use filters::{filter_exec, filter_hcl, filter_json, filter_sh, filter_yaml};

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The folder, inside a repository, whose templates override the embedded ones.
pub const OVERRIDE_DIR: &str = ".dockgen/templates";

/// The shared compose template, rendered once for all services.
pub const COMPOSE_TEMPLATE: &str = "compose.yaml.tera";

/// The bake file (`--with bake`), at the repository root, and its template.
pub const BAKE_FILE: &str = "docker-bake.hcl";
const BAKE_TEMPLATE: &str = "docker-bake.hcl.tera";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// A file dockgen owns: hand edits are protected.
    Generated,
    /// dockgen.toml: the user's settings, merged rather than replaced.
    Settings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderedFile {
    /// Path relative to the repository root.
    pub path: String,
    pub content: String,
    pub kind: FileKind,
}

pub struct Renderer {
    tera: tera::Tera,
}

impl Renderer {
    pub fn new(repo_root: Option<&Path>) -> Result<Renderer> {
        let mut templates: Vec<(String, String)> = Vec::new();
        collect_embedded(&EMBEDDED, &mut templates);
        if let Some(root) = repo_root {
            collect_overrides(&root.join(OVERRIDE_DIR), "", &mut templates)?;
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![]);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error("templates", &e))?;
        tera.register_filter("exec", filter_exec);
        tera.register_filter("json", filter_json);
        tera.register_filter("hcl", filter_hcl);
        tera.register_filter("sh", filter_sh);
        tera.register_filter("yaml", filter_yaml);
        Ok(Renderer { tera })
    }

    /// Renders every file of the plan, in a stable order.
    pub fn render(&mut self, plan: &Plan, presets: &Presets) -> Result<Vec<RenderedFile>> {
        let mut files: Vec<RenderedFile> = Vec::new();
        let mut compose_services = Vec::new();
        let mut host_ports = std::collections::BTreeSet::new();
        for service in &plan.services {
            let preset = presets.get(&service.selection.preset)?;
            let mut context = service_context(service, preset);
            context.insert("comments", &plan.comments);
            let derived = self.derived(preset, &context)?;
            context.insert("d", &derived);
            for file in &preset.files {
                let name = format!("{}/{}", preset.templates, file.template);
                let content = explained(self.render_one(&name, &context)?, plan.comments);
                // A file at the repository root may be shared by several services: they must
                // agree on its content.
                let at_root = file.at_root_when.as_ref().is_some_and(|key| {
                    service.answers.get(key).is_some_and(|a| {
                        !matches!(
                            &a.value,
                            serde_json::Value::Null | serde_json::Value::Bool(false)
                        ) && a.value != ""
                    })
                });
                let path = match at_root {
                    true => file.path.clone(),
                    false => join(&service.path, &file.path),
                };
                if let Some(same) = files.iter_mut().find(|f| f.path == path) {
                    if same.content == content {
                        continue;
                    }
                    // One build context shared by services of different stacks: its ignore
                    // file keeps out what any of them would.
                    if path.rsplit('/').next() == Some(".dockerignore") {
                        same.content = merged_ignore(&same.content, &content);
                        continue;
                    }
                    return Err(Error::Template {
                        template: name,
                        message: format!("{path} is rendered twice with different content"),
                    });
                }
                files.push(RenderedFile {
                    path,
                    content,
                    kind: FileKind::Generated,
                });
            }
            self.optional_outputs(plan, service, preset, &derived, &mut files)?;
            let port = service
                .answers
                .get("port")
                .and_then(|a| a.value.as_u64())
                .unwrap_or(0);
            let mut host_port = port;
            while port > 0 && !host_ports.insert(host_port) {
                host_port += 1;
            }
            // A preset may build a service from the repository root (`derived.build_context = "."`),
            // e.g. a workspace member whose lockfile is at the root.
            let from_root = derived.get("build_context").and_then(Value::as_str) == Some(".");
            let tmpfs = crate::plan::writable_mounts(service, &derived);
            compose_services.push(json!({
                "name": service.name,
                "image": service.image,
                "tmpfs": tmpfs,
                "host_port": host_port,
                // A background worker listens on no port: nothing is published or probed.
                "published": port > 0,
                "probed": service.answers.get("probe").and_then(|a| a.value.as_str()) != Some("none"),
                "path": service.path,
                "context": if service.path == "." || from_root { ".".to_string() } else { format!("./{}", service.path) },
                "dockerfile": (from_root && service.path != ".").then(|| join(&service.path, "Dockerfile")),
                "a": answer_values(service),
                "d": derived,
                "state": crate::state_plan::plan(service, &derived),
                "connections": service.connections,
                "required_env": service.required_env,
            }));
        }
        let mut context = tera::Context::new();
        context.insert("services", &compose_services);
        context.insert("backing", &plan.backing);
        let passwords: Vec<&str> = plan
            .backing
            .iter()
            .filter_map(|b| b.password_variable.as_deref())
            .collect();
        context.insert("passwords", &passwords);
        let mut required: Vec<&str> = Vec::new();
        for name in plan.services.iter().flat_map(|s| &s.required_env) {
            if !required.contains(&name.as_str()) {
                required.push(name);
            }
        }
        context.insert("required_env", &required);
        context.insert("project", &plan.project);
        context.insert("dockgen", &dockgen_info());
        context.insert("comments", &plan.comments);
        files.push(RenderedFile {
            path: plan.compose_file.clone(),
            content: explained(self.render_one(COMPOSE_TEMPLATE, &context)?, plan.comments),
            kind: FileKind::Generated,
        });
        if plan.outputs.contains(&crate::outputs::Output::Bake) {
            // The bake file builds what compose builds: the same contexts and Dockerfiles.
            files.push(RenderedFile {
                path: BAKE_FILE.to_string(),
                content: explained(self.render_one(BAKE_TEMPLATE, &context)?, plan.comments),
                kind: FileKind::Generated,
            });
        }
        Ok(files)
    }

    fn render_one(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map(|s| tidy(&s))
            .map_err(|e| template_error(name, &e))
    }

    /// Renders the preset's `derived` values (strings or lists of strings are Tera templates).
    fn derived(&mut self, preset: &Preset, context: &tera::Context) -> Result<Value> {
        let mut out = serde_json::Map::new();
        for (key, value) in &preset.derived {
            let where_ = format!("preset {} derived.{key}", preset.name);
            let rendered = match value {
                toml::Value::String(s) => Value::String(self.render_str(s, context, &where_)?),
                toml::Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|i| match i {
                            toml::Value::String(s) => {
                                self.render_str(s, context, &where_).map(Value::String)
                            }
                            other => Ok(serde_json::to_value(other).unwrap_or(Value::Null)),
                        })
                        .collect::<Result<Vec<_>>>()?,
                ),
                other => serde_json::to_value(other).unwrap_or(Value::Null),
            };
            out.insert(key.clone(), rendered);
        }
        Ok(Value::Object(out))
    }

    fn render_str(&mut self, text: &str, context: &tera::Context, name: &str) -> Result<String> {
        self.tera
            .render_str(text, context)
            .map(|s| s.trim().to_string())
            .map_err(|e| template_error(name, &e))
    }
}

fn service_context(service: &ServicePlan, preset: &Preset) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert("a", &answer_values(service));
    context.insert(
        "service",
        &json!({ "path": service.path, "name": service.name }),
    );
    context.insert(
        "preset",
        &json!({ "name": preset.name, "data": preset.data }),
    );
    context.insert("dockgen", &dockgen_info());
    context
}

fn dockgen_info() -> Value {
    json!({ "version": env!("CARGO_PKG_VERSION") })
}

fn answer_values(service: &ServicePlan) -> Value {
    Value::Object(
        service
            .answers
            .iter()
            .map(|(k, a)| (k.clone(), a.value.clone()))
            .collect(),
    )
}

fn template_error(name: &str, e: &tera::Error) -> Error {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template {
        template: name.to_string(),
        message,
    }
}

fn collect_embedded(dir: &Dir<'_>, out: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if let Some(text) = file.contents_utf8() {
            out.push((
                file.path().to_string_lossy().replace('\\', "/"),
                text.to_string(),
            ));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn collect_overrides(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, "cannot list", e))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if path.is_dir() {
            collect_overrides(&path, &rel, out)?;
        } else {
            let text =
                std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "cannot read", e))?;
            out.retain(|(n, _)| n != &rel);
            out.push((rel, text));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_comments_keeps_directives_and_the_header() {
        let text = "# syntax=docker/dockerfile:1\n# Generated by dockgen 1 (x).\n# why\nFROM a\n  # inner\n# hadolint ignore=DL3008\nRUN x\n".to_string();
        assert_eq!(
            explained(text, false),
            "# syntax=docker/dockerfile:1\n# Generated by dockgen 1 (x).\nFROM a\n# hadolint ignore=DL3008\nRUN x\n"
        );
    }

    #[test]
    fn tidy_collapses_blank_runs() {
        assert_eq!(tidy("\n\na\n\n\n\nb  \n\n"), "a\n\nb\n");
    }
}
