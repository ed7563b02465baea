import { detectLanguage, extractEntities, findAddresses, findWards } from '../../src/classify/entities';
import { findPhones, findTrackingCodes } from '../../src/classify/normalize';

describe('phone numbers', () => {
  it('finds mobiles in the ways people write them, normalised to 0xxxxxxxxx', () => {
    expect(findPhones('sdt 0901234567')).toEqual(['0901234567']);
    expect(findPhones('gọi 090 123 4567 nhé')).toEqual(['0901234567']);
    expect(findPhones('0912.345.678 hoặc 0387-654-321')).toEqual(['0912345678', '0387654321']);
    expect(findPhones('call +84 90 123 4567 or +84912345678')).toEqual(['0901234567', '0912345678']);
    expect(findPhones('84 912 345 678')).toEqual(['0912345678']);
    expect(findPhones('0901234567 0912345678')).toEqual(['0901234567', '0912345678']);
  });

  it('finds Ho Chi Minh City landlines', () => {
    expect(findPhones('tổng đài 028 3823 4567')).toEqual(['02838234567']);
    expect(findPhones('(028) 3823.4567')).toEqual(['02838234567']);
  });

  it('rejects what is not a Vietnamese phone number', () => {
    expect(findPhones('0123456789')).toEqual([]); // 01x is no longer a mobile prefix
    expect(findPhones('0412345678')).toEqual([]);
    expect(findPhones('09012345678')).toEqual([]); // eleven digits
    expect(findPhones('090123456')).toEqual([]); // nine digits
    expect(findPhones('phạt 1.500.000 đồng, mã số thuế 0301234567890')).toEqual([]);
  });
});

describe('tracking codes', () => {
  it('finds every code, in any case, normalised', () => {
    expect(findTrackingCodes('ma hcm-26-7k3qd va HN-24-7K3Q9 sao roi')).toEqual(['HCM-26-7K3QD', 'HN-24-7K3Q9']);
  });

  it('rejects letters the alphabet leaves out', () => {
    expect(findTrackingCodes('HCM-26-7K3QL')).toEqual([]);
  });
});

describe('addresses and wards', () => {
  it('finds street addresses with or without diacritics', () => {
    expect(findAddresses('Đèn đường trước số 12 Lê Lợi bị hỏng')).toEqual(['12 Lê Lợi']);
    expect(findAddresses('nha 12 Le Loi mat dien')).toEqual(['12 Le Loi']);
    expect(findAddresses('hẻm 45 Nguyễn Trãi ngập')).toEqual(['hẻm 45 Nguyễn Trãi']);
    expect(findAddresses('12/3A đường Nguyễn Huệ')).toEqual(['12/3A đường Nguyễn Huệ']);
  });

  it('does not take numbered districts, routes or dates for addresses', () => {
    expect(findAddresses('phường 5 Quận 3, tuyến 56 Chiều nay, ngày 12 Tháng 3')).toEqual([]);
  });

  it('finds ward and commune names', () => {
    expect(findWards('ở phường Bến Thành, quận 1')).toEqual(['Bến Thành']);
    expect(findWards('p. Ben Thanh')).toEqual(['Ben Thanh']);
    expect(findWards('P.Tân Định')).toEqual(['Tân Định']);
    expect(findWards('xã Bình Chánh')).toEqual(['Bình Chánh']);
    expect(findWards('phuong ben thanh bi ngap')).toEqual(['ben thanh']);
  });
});

describe('language', () => {
  it('tells Vietnamese, with or without diacritics, from English', () => {
    expect(detectLanguage('Đèn đường hư rồi')).toBe('vi');
    expect(detectLanguage('den duong truoc nha toi bi hu')).toBe('vi');
    expect(detectLanguage('ko co nuoc 3 ngay roi ad oi')).toBe('vi');
    expect(detectLanguage('The street light near my house is broken')).toBe('en');
    expect(detectLanguage('Hello, where can I renew my passport?')).toBe('en');
    expect(detectLanguage('Do I have to pay tax on rental income from my apartment in Thu Duc?')).toBe('en');
    expect(detectLanguage('The water has been cut in Phường Bến Thành since this morning')).toBe('en');
  });

  it('defaults to Vietnamese when there is no evidence', () => {
    expect(detectLanguage('ok')).toBe('vi');
    expect(detectLanguage('')).toBe('vi');
  });
});

it('returns every entity at once', () => {
  expect(extractEntities('Mã HCM-26-7K3QD: cống trước 12 Lê Lợi, phường Bến Thành vẫn nghẹt, gọi 0901234567')).toEqual({
    trackingCodes: ['HCM-26-7K3QD'],
    phones: ['0901234567'],
    addresses: ['12 Lê Lợi'],
    wards: ['Bến Thành'],
    language: 'vi',
  });
});
