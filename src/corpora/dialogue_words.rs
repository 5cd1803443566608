//! The word tables and turn templates of the dialogue data set
//! ([`super::Dialogue`]). A template's `{name}` is filled with a slot of
//! the dialogue's [`Task`](super::Task).

/// A city with its fixed clock time and weather, so that the bot's answer
/// is a function of what the user said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct City {
    /// The city's name, one word.
    pub name: &'static str,
    /// The time the bot always gives for it: `9 pm`.
    pub time: &'static str,
    /// The weather today and tomorrow: one of `sunny`, `rainy`, `cloudy`,
    /// `windy`, `snowy`.
    pub weather: [&'static str; 2],
}

const fn city(
    name: &'static str,
    time: &'static str,
    today: &'static str,
    tomorrow: &'static str,
) -> City {
    City {
        name,
        time,
        weather: [today, tomorrow],
    }
}

/// The eight cities of the weather and time tasks. The times are those of
/// a january noon in london; the weather is made up but fixed:
///
/// | city   | time  | today  | tomorrow |
/// |--------|-------|--------|----------|
/// | london | 12 pm | rainy  | cloudy   |
/// | paris  | 1 pm  | cloudy | rainy    |
/// | cairo  | 2 pm  | sunny  | windy    |
/// | moscow | 3 pm  | snowy  | cloudy   |
/// | dubai  | 4 pm  | sunny  | sunny    |
/// | tokyo  | 9 pm  | sunny  | windy    |
/// | sydney | 11 pm | sunny  | rainy    |
/// | lima   | 7 am  | cloudy | sunny    |
pub const CITIES: [City; 8] = [
    city("london", "12 pm", "rainy", "cloudy"),
    city("paris", "1 pm", "cloudy", "rainy"),
    city("cairo", "2 pm", "sunny", "windy"),
    city("moscow", "3 pm", "snowy", "cloudy"),
    city("dubai", "4 pm", "sunny", "sunny"),
    city("tokyo", "9 pm", "sunny", "windy"),
    city("sydney", "11 pm", "sunny", "rainy"),
    city("lima", "7 am", "cloudy", "sunny"),
];

/// The dishes a user can order.
pub const DISHES: [&str; 6] = ["pizza", "burger", "salad", "soup", "sandwich", "curry"];

/// The sizes a dish comes in.
pub const SIZES: [&str; 3] = ["small", "medium", "large"];

/// The days the weather can be asked for.
pub const WEATHER_DAYS: [&str; 2] = ["today", "tomorrow"];

/// Small talk: what the user says and the bot's fixed answer.
pub const SMALL_TALK: [(&str, &str); 10] = [
    ("hello", "hello ! how can i help ?"),
    ("hi", "hello ! how can i help ?"),
    ("good morning", "hello ! how can i help ?"),
    ("thank you", "you are welcome ."),
    ("thanks", "you are welcome ."),
    ("goodbye", "goodbye ! have a nice day ."),
    ("bye", "goodbye ! have a nice day ."),
    ("how are you ?", "i am fine , thank you ."),
    ("who are you ?", "i am a helpful bot ."),
    ("what can you do ?", "food , weather and time ."),
];

/// One table of phrasings per turn, user and bot alternating.
pub(crate) type Turns = &'static [&'static [&'static str]];

/// [`Task::Order`](super::Task::Order): dish, size question, size.
pub(crate) const ORDER: Turns = &[
    &[
        "i would like a {dish}",
        "can i have a {dish} ?",
        "a {dish} please",
        "i want a {dish}",
        "one {dish} please",
        "can i get a {dish} ?",
    ],
    &["what size ?", "which size ?", "what size would you like ?"],
    &[
        "{size} please",
        "a {size} one",
        "{size}",
        "{size} , thanks",
        "make it {size}",
    ],
];
/// The confirmation of an order.
pub(crate) const ORDER_REPLY: &str = "one {size} {dish} . anything else ?";

/// [`Task::Weather`](super::Task::Weather): city, day question, day.
pub(crate) const WEATHER: Turns = &[
    &[
        "what is the weather in {city} ?",
        "what is the weather like in {city} ?",
        "how is the weather in {city} ?",
        "weather in {city} please",
        "tell me the weather in {city}",
        "i need the weather for {city}",
    ],
    &[
        "today or tomorrow ?",
        "for which day ?",
        "for today or tomorrow ?",
    ],
    &["{day}", "{day} please", "for {day}"],
];
/// [`Task::WeatherDayFirst`](super::Task::WeatherDayFirst): day, city
/// question, city.
pub(crate) const WEATHER_DAY_FIRST: Turns = &[
    &[
        "what is the weather {day} ?",
        "how is the weather {day} ?",
        "what will the weather be {day} ?",
        "weather for {day} please",
    ],
    &["in which city ?", "which city ?", "where ?"],
    &["{city}", "in {city}", "{city} please"],
];
/// [`Task::WeatherAtOnce`](super::Task::WeatherAtOnce): city and day.
pub(crate) const WEATHER_AT_ONCE: Turns = &[&[
    "what is the weather in {city} {day} ?",
    "how is the weather in {city} {day} ?",
    "weather in {city} {day} please",
]];
/// The forecast; `{be}` is `is` today and `will be` tomorrow.
pub(crate) const WEATHER_REPLY: &str = "{day} in {city} it {be} {weather}";

/// [`Task::Time`](super::Task::Time): city, acknowledgement, question.
pub(crate) const TIME: Turns = &[
    &[
        "i am in {city}",
        "i live in {city}",
        "i am staying in {city}",
        "hello , i am in {city}",
        "i just arrived in {city}",
    ],
    &["noted .", "ok .", "good to know ."],
    &[
        "what time is it ?",
        "what is the time ?",
        "do you know the time ?",
        "what time is it now ?",
    ],
];
/// [`Task::TimeHereOrThere`](super::Task::TimeHereOrThere): own city,
/// acknowledgement, relative's city, acknowledgement, question with
/// `{which}` = `here` or `there`.
pub(crate) const TIME_HERE_OR_THERE: Turns = &[
    &[
        "i am in {home}",
        "i live in {home}",
        "i am staying in {home}",
    ],
    &["noted .", "ok ."],
    &[
        "my friend is in {away}",
        "my sister lives in {away}",
        "my brother is in {away}",
    ],
    &["nice .", "i see ."],
    &["what time is it {which} ?", "what is the time {which} ?"],
];
/// [`Task::TimeAtOnce`](super::Task::TimeAtOnce): the question with the city.
pub(crate) const TIME_AT_ONCE: Turns = &[&[
    "what time is it in {city} ?",
    "what is the time in {city} ?",
]];
/// The time of the city meant.
pub(crate) const TIME_REPLY: &str = "it is {time} in {city}";

/// [`Task::SmallTalk`](super::Task::SmallTalk): the line itself.
pub(crate) const SMALL_TALK_TURNS: Turns = &[&["{said}"]];
