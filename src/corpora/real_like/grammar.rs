//! The sentence generator: noun phrases with agreeing determiners and
//! adjectives, clauses in four tenses, negation, questions, reported speech
//! and exclamations, built in both languages at once from `english=french`
//! tables and the invented lexicon.

use super::lexicon::{Adj, Lexicon, Verb, Zipf};
use super::phrase::{
    ALLER, BE, Bi, DO, ETAIT, ETRE, Np, PL, SG, Toks, Vg, WAS, bi, form, pick, tensed, vg, words,
};
use rand::RngExt;
use rand::rngs::StdRng;

// Tables of `english=french` entries; a word with several forms lists them
// as m.sg f.sg m.pl f.pl (English repeats its own forms to match).
const DETS: &str = "my=mon ma mes mes|your=votre votre vos vos|his=son sa ses ses|her=son sa ses ses|\
    our=notre notre nos nos|their=leur leur leurs leurs|this this these these=ce cette ces ces|\
    that that those those=ce cette ces ces";
const NUMBERS: &str =
    "two=deux|three=trois|four=quatre|five=cinq|six=six|ten=dix|12=12|15=15|20=20";
const NP_PREPS: &str = "near=près de|with=avec|without=sans|from=de|behind=derrière";
const PREPS: &str = "in=dans|on=sur|under=sous|near=près de|in front of=devant|next to=à côté de|\
    for=pour|to=à|after=après|before=avant|with=avec";
const ADVERBS: &str = "often=souvent|always=toujours|sometimes=parfois|never=jamais";
const CONJ: &str = ", and=, et|, but=, mais|because=parce que|when=quand|if=si|;=;|and=et";
const WH: &str = "=|=|why=pourquoi|where=où|when=quand";
/// Verb forms for I, he, they, then the unit.
const MEASURES: &str = "weigh weighs weigh kilos=pèse pèse pèsent kilos|cost costs cost euros=coûte \
    coûte coûtent euros|measure measures measure meters=mesure mesure mesurent mètres";

/// Sentence generator: the lexicon, its samplers and the reporting verbs.
pub struct Gen {
    pub rng: StdRng,
    pub lex: Lexicon,
    pub zipf: [Zipf; 3],
    pub say: [Verb; 4],
}

impl Gen {
    fn p(&mut self, x: f64) -> bool {
        self.rng.random_bool(x)
    }

    /// A random `english=french` entry of a `|`-separated table.
    fn entry(&mut self, table: &str) -> Bi {
        let (en, fr) = pick(&mut self.rng, table, '|').split_once('=').unwrap();
        bi(en, fr)
    }

    fn adj(&mut self) -> &Adj {
        &self.lex.1[self.zipf[1].sample(&mut self.rng)]
    }

    fn verb(&mut self) -> &Verb {
        &self.lex.2[self.zipf[2].sample(&mut self.rng)]
    }

    fn noun_phrase(&mut self, depth: usize) -> Np {
        let noun = &self.lex.0[self.zipf[0].sample(&mut self.rng)];
        let (fem, pl) = (noun.fem, self.rng.random_bool(0.3));
        let (k, person) = (fem as usize + 2 * pl as usize, [SG, PL][pl as usize]);
        let head = bi(&noun.en[pl as usize], &noun.fr[pl as usize]);
        let dets = match self.rng.random_range(0..100) {
            0..45 => "the=le la les les",
            45..70 => "a a some some=un une des des",
            _ => pick(&mut self.rng, DETS, '|'),
        };
        let (det_en, det_fr) = dets.split_once('=').unwrap();
        let mut np = bi(form(det_en, k), form(det_fr, k));
        if pl && self.p(0.12) {
            np = self.entry(NUMBERS);
        }
        // The genitive: `the talrek's orpal` ↔ `l'orpal du talrèque`.
        let owner = (depth == 0 && det_en == "the" && self.p(0.06)).then(|| self.noun_phrase(1));
        let owner = owner.filter(|o| o.person == SG).map(|o| o.bi);
        if let Some(o) = &owner {
            np.en = o.en.clone();
            *np.en.last_mut().unwrap() += "'s";
        }
        let mut adjs = Bi::default();
        for i in 0..[0, 0, 0, 0, 0, 0, 1, 1, 1, 2][self.rng.random_range(0..10)] {
            let adj = self.adj();
            if adjs.en.contains(&adj.en) {
                continue;
            }
            adjs = adjs + bi(&adj.en, &format!("{} {}", ["", "et"][i], adj.fr[k]));
        }
        // English adjectives come before the noun, French ones after it.
        np.en.extend(adjs.en);
        np = np + head;
        np.fr.extend(adjs.fr);
        if let Some(o) = owner {
            np.fr.push("de".into());
            np.fr.extend(o.fr);
        } else if depth == 0 && self.p(0.07) {
            np = np + self.entry(NP_PREPS) + self.noun_phrase(1).bi;
        } else if depth == 0 && self.p(0.05) {
            // A relative clause on the subject (`qui`) or the object (`que`).
            let (inner, tense, on_subject) =
                (self.noun_phrase(1), self.p(0.4) as usize, self.p(0.6));
            let agree = if on_subject { person } else { inner.person };
            let g = tensed(self.verb(), agree, tense).bi;
            np = np
                + match on_subject {
                    true => bi("that", "qui") + g + inner.bi,
                    false => bi("that", "que") + inner.bi + g,
                };
        }
        Np {
            bi: np,
            person,
            fem,
        }
    }

    fn subject(&mut self) -> Np {
        let (en, fr, person) = match self.rng.random_range(0..100) {
            0..8 => ("I", "je", 0),
            8..12 => ("he", "il", SG),
            12..16 => ("she", "elle", SG),
            16..20 => ("they", "ils", PL),
            _ => return self.noun_phrase(0),
        };
        Np {
            bi: bi(en, fr),
            person,
            fem: fr == "elle",
        }
    }

    /// `X is not`, `ne X pas`: English `not` after the auxiliary, sometimes contracted.
    fn negate(&mut self, mut g: Vg) -> Vg {
        let not = match (g.aux.as_str(), self.p(0.3)) {
            ("am", _) => "am not".to_string(),
            ("can", _) => "cannot".to_string(),
            ("will", true) => "won't".to_string(),
            (aux, true) => format!("{aux}n't"),
            (aux, false) => format!("{aux} not"),
        };
        g.bi.en = [words(&not), g.tail.clone()].concat();
        g.bi.fr.insert(0, "ne".into());
        g.bi.fr.insert(2, "pas".into());
        g
    }

    /// A clause, and its English question form when it has one.
    // Long function: a grammar rule with its branches, English and French side by side.
    fn clause(&mut self, depth: usize) -> (Bi, Option<Toks>) {
        let subj = self.subject();
        let (p, k) = (
            subj.person,
            subj.fem as usize + 2 * (subj.person == PL) as usize,
        );
        let tense = [0, 0, 1, 2, 3][self.rng.random_range(0..5)];
        let (mut g, mut rest, mut ask) = (vg("", "", "", ""), Bi::default(), true);
        match self.rng.random_range(0..100) {
            0..55 => {
                g = tensed(self.verb(), p, tense);
                if tense == 0 && self.p(0.12) {
                    let adv = self.entry(ADVERBS);
                    g.bi.en.insert(0, adv.en[0].clone());
                    g.bi.fr.push(adv.fr[0].clone());
                    if adv.en[0] == "never" {
                        g.bi.fr.insert(0, "ne".into());
                    }
                    ask = false;
                }
                if self.p(0.75) {
                    rest = self.noun_phrase(1).bi;
                }
            }
            55..75 => {
                g = match tense {
                    1 => vg(WAS[p], WAS[p], "", ETAIT[p]),
                    2 => vg("will be", "will", "be", &format!("{} être", ALLER[p])),
                    _ => vg(BE[p], BE[p], "", ETRE[p]),
                };
                let (very, tres) = if self.p(0.1) {
                    ("very", "très")
                } else {
                    ("", "")
                };
                let adj = self.adj();
                rest = bi(
                    &format!("{very} {}", adj.en),
                    &format!("{tres} {}", adj.fr[k]),
                );
            }
            75..83 => {
                let want = self.p(0.5);
                let v = self.verb();
                let (base, inf) = (&v.en[0], &v.fr[0]);
                let fr = format!("{} {inf}", ["peux", "peut", "peuvent"][p]);
                g = vg(&format!("can {base}"), "can", base, &fr);
                if want {
                    let want = format!("{} to {base}", ["want", "wants", "want"][p]);
                    let fr = format!("{} {inf}", ["veux", "veut", "veulent"][p]);
                    g = vg(&want, DO[p], &format!("want to {base}"), &fr);
                }
                rest = self.noun_phrase(1).bi;
            }
            83..90 => {
                let (en, fr) = pick(&mut self.rng, MEASURES, '|').split_once('=').unwrap();
                let n = self.rng.random_range(2..25);
                let d = match self.rng.random_range(0..18) {
                    d @ 1..=9 => format!(".{d}"),
                    _ => String::new(),
                };
                let fr = format!("{} {n}{} {}", form(fr, p), d.replace('.', ","), form(fr, 3));
                (rest, ask) = (
                    bi(&format!("{} {n}{d} {}", form(en, p), form(en, 3)), &fr),
                    false,
                );
            }
            _ if depth == 0 => {
                let (i, that) = (
                    self.rng.random_range(0..3),
                    ["", "that"][self.p(0.7) as usize],
                );
                let said = tensed(&self.say[i], p, tense % 2).bi;
                (rest, ask) = (said + bi(that, "que") + self.clause(1).0, false);
            }
            _ => return self.clause(depth),
        }
        if ask && self.p(0.15) {
            (g, ask) = (self.negate(g), false);
        }
        rest = rest + self.adverbial(ask, tense);
        let question = [vec![g.aux], subj.bi.en.clone(), g.tail, rest.en.clone()].concat();
        (subj.bi + g.bi + rest, ask.then_some(question))
    }

    /// Sometimes a time (agreeing with the tense) or a place at the end of a clause.
    fn adverbial(&mut self, timed: bool, tense: usize) -> Bi {
        let (h, m) = (
            self.rng.random_range(1..13),
            self.rng.random_range(1..12) * 5,
        );
        if timed && self.p(0.15) {
            return match (tense, self.rng.random_range(0..4)) {
                (1, _) => bi("yesterday", "hier"),
                (2, _) => bi("tomorrow", "demain"),
                (_, 0) => bi("today", "aujourd'hui"),
                (_, 1) => bi("every morning", "chaque matin"),
                (_, 2) => bi(&format!("at {h} o'clock"), &format!("à {h} heures")),
                _ => bi(&format!("at {h}:{m:02}"), &format!("à {h} h {m:02}")),
            };
        }
        let place = self
            .p(0.15)
            .then(|| self.entry(PREPS) + self.noun_phrase(1).bi);
        place.unwrap_or_default()
    }

    /// A question: `Does ... ?` ↔ `Est-ce que ... ?`, maybe after why / where / when.
    fn question(&mut self) -> Bi {
        loop {
            if let (c, Some(en)) = self.clause(1) {
                let fr = [words("est-ce que"), c.fr].concat();
                return self.entry(WH) + Bi { en, fr } + bi("?", "?");
            }
        }
    }

    pub fn sentence(&mut self) -> Bi {
        let r = self.rng.random_range(0..100);
        if r < 14 {
            return self.question();
        }
        if r < 18 {
            let (s, asks) = (self.subject(), self.p(0.3));
            let inner = match asks {
                true => self.question(),
                false => self.clause(1).0 + bi(".", "."),
            };
            let verb = &self.say[[1, 3][asks as usize]];
            let v = bi(&verb.en[(s.person == SG) as usize], &verb.fr[1 + s.person]);
            return s.bi + v + bi(": \"", ": «") + inner + bi("\"", "»");
        }
        if r < 20 {
            // `What a red talrek!` ↔ `Quel talrèque rouge !`
            let np = self.noun_phrase(1);
            let k = np.fem as usize + 2 * (np.person == PL) as usize;
            let quel = form("quel quelle quels quelles", k);
            let (noun_en, noun_fr) = (np.bi.en.last().unwrap(), &np.bi.fr[1]);
            let adj = &self.lex.1[self.zipf[1].sample(&mut self.rng)];
            let a = if k < 2 { "a" } else { "" };
            let en = format!("what {a} {} {noun_en} !", adj.en);
            return bi(&en, &format!("{quel} {noun_fr} {} !", adj.fr[k]));
        }
        let (mut s, mut more) = (self.clause(0).0, r < 32);
        while more {
            s = s + self.entry(CONJ) + self.clause(1).0;
            more = self.p(0.25);
        }
        let end = if self.p(0.07) { "!" } else { "." };
        s + bi(end, end)
    }
}
