//! Texts of the churn diagnostics charts (ROC, gains, calibration), English and Chinese.

use super::i18n::Lang;

#[derive(Debug)]
pub struct DiagTexts {
    pub roc_title: &'static str,
    pub fpr: &'static str,
    pub tpr: &'static str,
    pub gains_title: &'static str,
    pub contacted: &'static str,
    pub found: &'static str,
    pub calibration_title: &'static str,
    pub predicted: &'static str,
    pub observed: &'static str,
    pub model: &'static str,
    pub chance: &'static str,
    pub perfect: &'static str,
}

pub const EN: DiagTexts = DiagTexts {
    roc_title: "Churn model: ROC curve (out-of-time cutoff)",
    fpr: "False-positive rate (stayers flagged, %)",
    tpr: "True-positive rate (churners found, %)",
    gains_title: "Churn model: cumulative gains",
    contacted: "Active customers contacted, highest risk first (%)",
    found: "Churners found (%)",
    calibration_title: "Churn model: calibration",
    predicted: "Predicted churn probability (%)",
    observed: "Observed churn rate (%)",
    model: "Model",
    chance: "Chance",
    perfect: "Perfect calibration",
};

pub const ZH: DiagTexts = DiagTexts {
    roc_title: "流失模型：ROC 曲线（时间外验证）",
    fpr: "误报率（%）",
    tpr: "命中率（找到的流失客户，%）",
    gains_title: "流失模型：累计增益",
    contacted: "按风险从高到低联系的活跃客户（%）",
    found: "找到的流失客户（%）",
    calibration_title: "流失模型：校准",
    predicted: "预测流失概率（%）",
    observed: "实际流失率（%）",
    model: "模型",
    chance: "随机",
    perfect: "完全校准",
};

pub fn diag_texts(lang: Lang) -> &'static DiagTexts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
