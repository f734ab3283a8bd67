//! The trained classifier: its file format, loading, and prediction as a sparse dot
//! product over hashed features (no dense matrices at inference).

mod features;
pub(crate) mod train;

pub use features::FeatureSettings;
pub(crate) use features::Featurizer;

use serde::{Deserialize, Serialize};

/// Name written in every model file.
pub const MODEL_FORMAT: &str = "lure-model";
/// Version of the model file format this code reads and writes.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// How the rules' log-odds and the classifier's log-odds combine into one calibrated
/// score: `sigmoid(bias + rules · rule_log_odds + model · model_log_odds)`, fitted on the
/// dev split (Platt-style stacking).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Constant term.
    pub bias: f64,
    /// Multiplier of the rules' log-odds (intercept plus rule weights).
    pub rules: f64,
    /// Multiplier of the classifier's log-odds.
    pub model: f64,
}

/// Provenance and quality figures stored with a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingInfo {
    /// FNV-1a 64 of the training and dev files, hex.
    pub data_hash: String,
    /// Ads in the training split.
    pub train_ads: usize,
    /// Ads in the dev split.
    pub dev_ads: usize,
    /// The learner and its settings.
    pub learner: String,
    /// Feature columns kept for training.
    pub columns: usize,
    /// Dev-split figures (free-form, for people).
    pub dev_metrics: serde_json::Value,
}

/// The model file (JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModelFile {
    pub format: String,
    pub format_version: u32,
    pub features: FeatureSettings,
    pub training: TrainingInfo,
    pub intercept: f64,
    pub weights: Vec<(u32, f32)>,
    pub calibration: Calibration,
    pub flag_threshold: f64,
    pub suspicious_threshold: f64,
}

/// A loaded classifier. Immutable; shared by every thread.
#[derive(Debug, Clone)]
pub struct Model {
    file: ModelFile,
    dense: Vec<f32>,
}

/// Why a model file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// Not a lure model, or damaged JSON.
    #[error("not a valid lure model file: {0}")]
    Corrupt(String),
    /// A lure model of another format version or feature settings.
    #[error("incompatible model: {0}")]
    Incompatible(String),
}

impl Model {
    /// Reads a model from its JSON text, checking format, version and feature settings.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        // The header first, so that another format or version gets its own message; it
        // reads only two keys (a full `serde_json::Value` of the weights cost ~10 ms of
        // start-up).
        // The two values stay untyped, so a wrongly typed one gets the same messages as a
        // wrong one.
        #[derive(Deserialize)]
        struct Header {
            format: Option<serde_json::Value>,
            format_version: Option<serde_json::Value>,
        }
        let header: Header =
            serde_json::from_str(text).map_err(|e| ModelError::Corrupt(e.to_string()))?;
        if header.format.as_ref().and_then(|f| f.as_str()) != Some(MODEL_FORMAT) {
            return Err(ModelError::Corrupt(
                "missing \"format\": \"lure-model\"".into(),
            ));
        }
        let version = header.format_version.as_ref().and_then(|v| v.as_u64());
        if version != Some(u64::from(MODEL_FORMAT_VERSION)) {
            return Err(ModelError::Incompatible(format!(
                "format version {version:?}, this lure reads version {MODEL_FORMAT_VERSION}"
            )));
        }
        let file: ModelFile =
            serde_json::from_str(text).map_err(|e| ModelError::Corrupt(e.to_string()))?;
        Model::from_file(file)
    }

    pub(crate) fn from_file(file: ModelFile) -> Result<Model, ModelError> {
        let expected = FeatureSettings {
            rule_features: file.features.rule_features,
            word_tokens: file.features.word_tokens,
            char_ngram_min: file.features.char_ngram_min,
            char_ngram_max: file.features.char_ngram_max,
            bucket_bits: file.features.bucket_bits,
            ..FeatureSettings::default()
        };
        if file.features.hash != expected.hash {
            return Err(ModelError::Incompatible(format!(
                "feature hash `{}`",
                file.features.hash
            )));
        }
        if !(8..=24).contains(&file.features.bucket_bits)
            || file.features.char_ngram_min == 0
            || file.features.char_ngram_min > file.features.char_ngram_max
            || file.features.char_ngram_max > 8
        {
            return Err(ModelError::Incompatible(
                "feature settings out of range".into(),
            ));
        }
        let size = 1usize << file.features.bucket_bits;
        let mut dense = vec![0.0f32; size];
        for &(bucket, weight) in &file.weights {
            let slot = dense
                .get_mut(bucket as usize)
                .ok_or_else(|| ModelError::Corrupt(format!("bucket {bucket} out of range")))?;
            if !weight.is_finite() {
                return Err(ModelError::Corrupt("non-finite weight".into()));
            }
            *slot = weight;
        }
        let thresholds_ok = (0.0..=1.0).contains(&file.flag_threshold)
            && (0.0..=1.0).contains(&file.suspicious_threshold);
        let numbers_ok = file.intercept.is_finite()
            && file.calibration.bias.is_finite()
            && file.calibration.rules.is_finite()
            && file.calibration.model.is_finite();
        if !thresholds_ok || !numbers_ok {
            return Err(ModelError::Corrupt(
                "thresholds or calibration out of range".into(),
            ));
        }
        Ok(Model { file, dense })
    }

    /// The model as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.file).unwrap_or_default()
    }

    /// Feature settings.
    pub fn features(&self) -> &FeatureSettings {
        &self.file.features
    }

    /// Provenance and dev figures.
    pub fn training(&self) -> &TrainingInfo {
        &self.file.training
    }

    /// The calibration of rules plus model.
    pub fn calibration(&self) -> Calibration {
        self.file.calibration
    }

    /// The flag threshold chosen on the dev split.
    pub fn flag_threshold(&self) -> f64 {
        self.file.flag_threshold
    }

    /// The suspicious threshold that goes with it.
    pub fn suspicious_threshold(&self) -> f64 {
        self.file.suspicious_threshold
    }

    /// Log-odds of "scam" for sparse features.
    pub(crate) fn log_odds(&self, features: &[(u32, f32)]) -> f64 {
        let dot: f64 = features
            .iter()
            .map(|&(bucket, value)| f64::from(self.dense[bucket as usize]) * f64::from(value))
            .sum();
        self.file.intercept + dot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> ModelFile {
        ModelFile {
            format: MODEL_FORMAT.into(),
            format_version: MODEL_FORMAT_VERSION,
            features: FeatureSettings::default(),
            training: TrainingInfo {
                data_hash: "0".into(),
                train_ads: 0,
                dev_ads: 0,
                learner: "test".into(),
                columns: 1,
                dev_metrics: serde_json::Value::Null,
            },
            intercept: -1.0,
            weights: vec![(3, 2.0)],
            calibration: Calibration {
                bias: 0.0,
                rules: 1.0,
                model: 1.0,
            },
            flag_threshold: 0.5,
            suspicious_threshold: 0.25,
        }
    }

    #[test]
    fn round_trips_and_predicts() {
        let model = Model::from_file(file()).unwrap();
        let again = Model::from_json(&model.to_json()).unwrap();
        assert_eq!(again.log_odds(&[(3, 0.5)]), 0.0);
        assert_eq!(again.log_odds(&[(4, 1.0)]), -1.0);
    }

    #[test]
    fn refuses_corrupt_and_incompatible_files() {
        assert!(matches!(
            Model::from_json("{not json"),
            Err(ModelError::Corrupt(_))
        ));
        assert!(matches!(
            Model::from_json("{\"format\":\"other\"}"),
            Err(ModelError::Corrupt(_))
        ));
        let mut newer = file();
        newer.format_version = 99;
        let text = serde_json::to_string(&newer).unwrap();
        assert!(matches!(
            Model::from_json(&text),
            Err(ModelError::Incompatible(_))
        ));
        let mut bad_bucket = file();
        bad_bucket.weights = vec![(1 << 20, 1.0)];
        assert!(matches!(
            Model::from_file(bad_bucket),
            Err(ModelError::Corrupt(_))
        ));
        let mut other_hash = file();
        other_hash.features.hash = "xxhash".into();
        assert!(matches!(
            Model::from_file(other_hash),
            Err(ModelError::Incompatible(_))
        ));
        let truncated = &Model::from_file(file()).unwrap().to_json()[..100];
        assert!(Model::from_json(truncated).is_err());
    }
}
