import { urgentPhrase } from '../../src/routing/priority';

describe('urgent messages', () => {
  it.each([
    ['Cháy nhà ở hẻm 12 Lê Văn Sỹ, khói đen mù mịt', 'cháy'],
    ['chay nha o hem 12 le van sy', 'chay nha'],
    ['Dây điện bị đứt rơi xuống đường Nguyễn Trãi', 'dây điện bị đứt'],
    ['day dien dut roi xuong duong', 'day dien dut'],
    ['Nhà cũ bị sập một phần, có người mắc kẹt', 'sập'],
    ['nuoc ngap toi nguc, 2 nguoi gia mac ket trong nha', 'mac ket'],
    ['Có nhóm thanh niên cầm dao đâm chém trước quán', 'cầm dao'],
    ['ro ri gas o chung cu', 'ro ri gas'],
    ['A building collapsed on Pasteur, people trapped', 'collapsed'],
  ])('%s', (text, phrase) => {
    expect(urgentPhrase(text)).toBe(phrase);
  });

  it.each([
    'xe buýt chạy ẩu quá',
    'xe bus chay au qua',
    'nuoc chay yeu qua',
    'sap toi co hop bao khong',
    'Tôi sắp đi công tác, muốn làm hộ chiếu gấp',
    'ket xe cau Sai Gon',
    'Đèn đường hỏng 3 ngày nay',
  ])('not urgent: %s', (text) => {
    expect(urgentPhrase(text)).toBeNull();
  });
});
