import {
  canonicalize,
  expandAbbreviations,
  hasVietnameseDiacritics,
  normalizeMessage,
  stripDiacritics,
  syllables,
} from '../../src/classify/normalize';

describe('normalisation', () => {
  it('turns đ and Đ into d, and drops every tone and vowel mark', () => {
    expect(stripDiacritics('Đường đi Đà Lạt')).toBe('Duong di Da Lat');
    expect(stripDiacritics('người được ưu tiên ở đây')).toBe('nguoi duoc uu tien o day');
  });

  it('gives both tone-mark placements the same accented form', () => {
    expect(canonicalize('hoà')).toBe(canonicalize('hòa'));
    expect(canonicalize('Hòa Bình')).toBe(canonicalize('hoà bình'));
    expect(canonicalize('khỏe')).toBe(canonicalize('khoẻ'));
    expect(canonicalize('thúy')).toBe(canonicalize('thuý'));
    // Syllables whose placement is not in dispute are left as they are.
    for (const word of ['người', 'được', 'quý', 'già', 'giữa', 'ngoài', 'hoàng', 'tiếng']) expect(canonicalize(word)).toBe(word);
  });

  it('treats decomposed (NFD) input like composed (NFC) input', () => {
    const composed = 'Phản ánh đèn đường hư ở phường Bến Thành';
    expect(canonicalize(composed.normalize('NFD'))).toBe(canonicalize(composed));
    expect(normalizeMessage(composed.normalize('NFD'))).toEqual(normalizeMessage(composed));
    expect(hasVietnameseDiacritics(composed.normalize('NFD'))).toBe(true);
    expect(hasVietnameseDiacritics('den duong hu')).toBe(false);
  });

  it('expands teencode and abbreviations on the diacritic-free form', () => {
    expect(expandAbbreviations('ko co nuoc, k biet j, dc ko')).toBe('khong co nuoc, khong biet gi, duoc khong');
    expect(expandAbbreviations('sdt bn vs mn ad oi ntn')).toBe('so dien thoai bao nhieu voi moi nguoi admin oi nhu the nao');
    expect(expandAbbreviations('p. ben thanh q.1 tp hcm p12')).toBe('phuong ben thanh quan 1 thanh pho ho chi minh phuong 12');
    expect(normalizeMessage('Đc ko ad?').plain).toBe('duoc khong admin ?');
    expect(expandAbbreviations('dk hkd o dau, cty ko dong bhtn zay')).toBe('dang ky ho kinh doanh o dau, cong ty khong dong bao hiem that nghiep vay');
  });

  it('keeps words of other kinds intact', () => {
    expect(expandAbbreviations('50k, kho khan, vneid')).toBe('50k, kho khan, vneid');
  });

  it('splits into syllables, keeping question marks and emoji as tokens', () => {
    expect(syllables('ket xe cau Vinh Tuy 🥵 sao vay??')).toEqual(['ket', 'xe', 'cau', 'Vinh', 'Tuy', '🥵', 'sao', 'vay', '?', '?']);
  });

  it('replaces tracking codes and phone numbers by placeholders for the features', () => {
    const { accented, plain } = normalizeMessage('Mã HCM-26-7K3QD, gọi 0901 234 567 giúp');
    expect(accented).toBe('mã xxmaxx gọi xxsdtxx giúp');
    expect(plain).toBe('ma xxmaxx goi xxsdtxx giup');
  });
});
