//! The template functions bound to one [`Catalog`]: `t(key="…", …)` writes a message
//! (its other arguments fill the placeholders; `count` picks the plural form and, as
//! every whole number, is printed with the language's separators), and
//! `t_json(prefix="…")` writes, as JSON safe inside `<script>`, every message whose key
//! starts with `prefix` (the prefix taken off), with the language's code as `lang` and
//! its date patterns as `date`: what a script reads its labels from.

use super::{Arg, Catalog, Message};
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Tera, Value};

/// Registers `t` and `t_json` on `tera`, bound to `catalog`.
pub(crate) fn register(tera: &mut Tera, catalog: Arc<Catalog>) {
    tera.register_function("t", T(catalog.clone()));
    tera.register_function("t_json", TJson(catalog));
}

struct T(Arc<Catalog>);

impl tera::Function for T {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = match args.get("key") {
            Some(Value::String(k)) => k.as_str(),
            _ => {
                return Err("`t` needs `key`, the name of an interface string: t(key=\"…\")".into())
            }
        };
        let mut list: Vec<(&str, Arg)> = Vec::with_capacity(args.len());
        for (name, v) in args.iter().filter(|(k, _)| *k != "key") {
            let a = match v {
                Value::Number(n) => match n.as_i64() {
                    Some(i) => Arg::Int(i),
                    None => Arg::Float(n.as_f64().unwrap_or(0.0)),
                },
                Value::String(s) => Arg::Text(s.clone()),
                Value::Null => Arg::Text(String::new()),
                other => Arg::Text(other.to_string()),
            };
            list.push((name.as_str(), a));
        }
        self.0
            .format(key, &list)
            .map(Value::String)
            .map_err(tera::Error::msg)
    }
}

struct TJson(Arc<Catalog>);

impl tera::Function for TJson {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let prefix = match args.get("prefix") {
            Some(Value::String(p)) => p.as_str(),
            _ => return Err("`t_json` needs `prefix`: t_json(prefix=\"tl-\")".into()),
        };
        let c = &self.0;
        let mut map = serde_json::Map::new();
        for (k, m) in c.with_prefix(prefix) {
            let v = match m {
                Message::Text(s) => Value::String(s.clone()),
                Message::Plural(forms) => serde_json::to_value(forms).unwrap_or(Value::Null),
            };
            map.insert(k.to_string(), v);
        }
        map.insert("lang".into(), Value::String(c.code.clone()));
        map.insert("group".into(), Value::String(c.group.clone()));
        if args.get("date") == Some(&Value::Bool(true)) {
            let w = &c.date;
            let date = serde_json::json!({
                "year": w.year, "year_bce": w.year_bce, "year_ce": w.year_ce,
                "years": w.years, "years_bce": w.years_bce, "years_ce": w.years_ce, "span": w.span,
            });
            map.insert("date".into(), date);
        }
        // Nothing in it may close the `<script>` it is written in.
        let json = Value::Object(map).to_string();
        let safe = json
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        Ok(Value::String(
            safe.replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029"),
        ))
    }

    fn is_safe(&self) -> bool {
        true
    }
}
