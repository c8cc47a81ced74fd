//! The opt-in outputs of a service (`--with`), rendered beside its Dockerfile from what the
//! rendered Dockerfile's last stage builds: the structure test, and the Kubernetes manifests.

use super::{dockgen_info, explained, FileKind, RenderedFile, Renderer};
use crate::error::Result;
use crate::outputs::Output;
use crate::plan::{Plan, ServicePlan};
use crate::preset::Preset;
use crate::repo::join;

/// The structure-test template, rendered beside each Dockerfile when the output is chosen.
pub const STRUCTURE_TEST_TEMPLATE: &str = "container-structure-test.yaml.tera";
const WORKLOAD_TEMPLATE: &str = "kubernetes/workload.yaml.tera";
const NAMESPACE_TEMPLATE: &str = "kubernetes/namespace.yaml.tera";

impl Renderer {
    pub(super) fn optional_outputs(
        &mut self,
        plan: &Plan,
        service: &ServicePlan,
        preset: &Preset,
        derived: &serde_json::Value,
        files: &mut Vec<RenderedFile>,
    ) -> Result<()> {
        let dockerfile = join(&service.path, "Dockerfile");
        let Some(built) = files.iter().find(|f| f.path == dockerfile) else {
            return Ok(());
        };
        let image = crate::image_config::last_stage(&built.content);
        let mut rendered = Vec::new();
        if plan.outputs.contains(&Output::StructureTest) {
            let config = join(&service.path, crate::structure_test::FILE_NAME);
            let test = crate::structure_test::plan(service, &image);
            let mut context = tera::Context::new();
            context.insert("t", &test);
            context.insert("has_cmd", &test.cmd.is_some());
            context.insert("dockerfile", &dockerfile);
            context.insert("config", &config);
            context.insert("image", &service.image);
            context.insert("dockgen", &dockgen_info());
            rendered.push((config, self.render_one(STRUCTURE_TEST_TEMPLATE, &context)?));
        }
        if plan.outputs.contains(&Output::Kubernetes) {
            let language = crate::facts::Language::from_name(&preset.language);
            let state = crate::state_plan::plan(service, derived);
            let workload =
                crate::kubernetes::plan(service, language, &image, &state, &plan.project);
            let mut context = tera::Context::new();
            context.insert("w", &workload);
            context.insert("dir", crate::kubernetes::DIR);
            context.insert("dockgen", &dockgen_info());
            let path = format!("{}/{}.yaml", crate::kubernetes::DIR, service.name);
            rendered.push((path, self.render_one(WORKLOAD_TEMPLATE, &context)?));
            let namespace = format!("{}/namespace.yaml", crate::kubernetes::DIR);
            if !files.iter().any(|f| f.path == namespace) {
                let mut context = tera::Context::new();
                context.insert("namespace", &plan.project);
                context.insert("dockgen", &dockgen_info());
                rendered.push((namespace, self.render_one(NAMESPACE_TEMPLATE, &context)?));
            }
        }
        for (path, content) in rendered {
            files.push(RenderedFile {
                path,
                content: explained(content, plan.comments),
                kind: FileKind::Generated,
            });
        }
        Ok(())
    }
}
