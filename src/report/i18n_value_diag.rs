//! Texts of the purchase model's diagnostics charts (matrices, histogram, holdout tracking),
//! English and Chinese. `{}` are filled in order (see [`super::i18n::fill`]).

use super::i18n::Lang;

#[derive(Debug)]
pub struct ValueDiagTexts {
    /// Filled with the horizon and the unit.
    pub expected_title: &'static str,
    pub p_alive_title: &'static str,
    /// Filled with the unit and the age.
    pub recency_axis: &'static str,
    pub frequency_axis: &'static str,
    pub histogram_title: &'static str,
    pub repeat_axis: &'static str,
    pub customers_axis: &'static str,
    pub cumulative_title: &'static str,
    pub weekly_title: &'static str,
    pub week_axis: &'static str,
    pub purchases_axis: &'static str,
    pub actual: &'static str,
    pub model: &'static str,
    pub calibration_end: &'static str,
    pub weeks: &'static str,
    pub days: &'static str,
}

pub const EN: ValueDiagTexts = ValueDiagTexts {
    expected_title: "Expected purchases in the next {} {}, by frequency and recency",
    p_alive_title: "Probability that a customer is still active, by frequency and recency",
    recency_axis: "Recency: age at the last purchase ({}; customer age {})",
    frequency_axis: "Frequency: repeat purchases",
    histogram_title: "Customers by repeat purchases: actual and as the model expects",
    repeat_axis: "Repeat purchases over the fitted period",
    customers_axis: "Customers",
    cumulative_title: "Repeat purchases, cumulative: actual and predicted",
    weekly_title: "Repeat purchases per week: actual and predicted",
    week_axis: "Week ending",
    purchases_axis: "Repeat purchases",
    actual: "Actual",
    model: "Model",
    calibration_end: "End of calibration",
    weeks: "weeks",
    days: "days",
};

pub const ZH: ValueDiagTexts = ValueDiagTexts {
    expected_title: "未来 {} {}的预期购买次数（按频次与最近购买）",
    p_alive_title: "客户仍活跃的概率（按频次与最近购买）",
    recency_axis: "最近购买时的客户年龄（{}；客户年龄 {}）",
    frequency_axis: "频次：重复购买次数",
    histogram_title: "按重复购买次数的客户数：实际与模型预期",
    repeat_axis: "拟合期内的重复购买次数",
    customers_axis: "客户数",
    cumulative_title: "累计重复购买：实际与预测",
    weekly_title: "每周重复购买：实际与预测",
    week_axis: "周末日期",
    purchases_axis: "重复购买次数",
    actual: "实际",
    model: "模型",
    calibration_end: "校准期结束",
    weeks: "周",
    days: "天",
};

pub fn value_diag_texts(lang: Lang) -> &'static ValueDiagTexts {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}
