// Urgent = danger to life, health or property (docs/taxonomy.md): fire, collapse, live wires, people
// trapped, violence, gas leaks, drowning. Matched on the accented text, and on the diacritic-free
// text only with phrases that stay unambiguous without accents ("chay" alone is cháy/chạy/chảy).

/** Whole words only; \b does not work around Vietnamese letters, so use letter lookarounds. */
const words = (pattern: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, 'u');

const ACCENTED: RegExp[] = [
  words('cháy|hỏa hoạn|hoả hoạn|bốc cháy|khói đen'),
  words('sập|sạt lở|đổ sập'),
  words('dây điện.{0,20}?(?:đứt|rơi|chập|giật|bốc cháy|tóe lửa|toé lửa)'),
  words('điện giật|giật điện|rò rỉ điện|rò điện'),
  words('mắc kẹt|kẹt trong|bị kẹt lại'),
  words('đâm chém|cầm dao|nổ súng|đánh nhau.{0,20}?(?:dao|máu|gậy)|bị đâm|cướp giật'),
  words('rò rỉ gas|rò gas|xì gas|nổ bình gas'),
  words('đuối nước|chết đuối|nguy kịch|bất tỉnh|ngộ độc tập thể'),
];

const FOLDED: RegExp[] = [
  words('boc chay|hoa hoan|chay nha|chay lon|chay rung|dam chay|dang boc khoi|khoi den'),
  words('nha sap|cau sap|tuong sap|sap tran|sap nha|sap cau|sat lo|do sap'),
  words('day dien.{0,20}?(?:dut|roi|chap|giat|toe lua)'),
  words('dien giat|giat dien|ro ri dien|ro dien'),
  words('mac ket|ket trong nha|ket ben trong'),
  words('dam chem|cam dao|no sung|bi dam|cuop giat'),
  words('ro ri gas|ro gas|xi gas|no binh gas'),
  words('duoi nuoc|chet duoi|nguy kich|bat tinh|ngo doc tap the'),
  words('fire|on fire|burning|collapsed?|live wires?|electrocut\\w*|trapped|stabb\\w*|gas leak|drown\\w*|unconscious'),
];

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
}

/** The phrase that makes a message urgent, or null. */
export function urgentPhrase(text: string): string | null {
  const lower = text.normalize('NFC').toLowerCase();
  for (const re of ACCENTED) {
    const m = re.exec(lower);
    if (m) return m[0];
  }
  const folded = fold(lower);
  for (const re of FOLDED) {
    const m = re.exec(folded);
    if (m) return m[0];
  }
  return null;
}
