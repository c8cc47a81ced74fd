//! `dockgen presets list|show`.

use crate::cli::PresetsCommand;
use crate::error::Result;
use crate::exit_status::ExitStatus;
use crate::preset::Presets;
use crate::printer;

pub fn run(command: &PresetsCommand) -> Result<ExitStatus> {
    match command {
        PresetsCommand::List { path } => {
            let presets = Presets::load(Some(path))?;
            printer::preset_list(&presets.all.values().collect::<Vec<_>>());
        }
        PresetsCommand::Show { name, path } => {
            let presets = Presets::load(Some(path))?;
            printer::preset_show(presets.get(name)?);
        }
    }
    Ok(ExitStatus::Success)
}
