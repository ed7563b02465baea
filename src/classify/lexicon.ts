// Cue words of each intent and topic. The topics' domain words come from the taxonomy's descriptions
// (docs/taxonomy.md) and the vocabulary of Vietnamese public services. A message containing one gets a "cue" feature for that
// label, whose weight training learns from the corpus: words the corpus never uses still point
// the right way. Written diacritic-free and abbreviation-expanded with digits as 0, as normalize.ts
// produces them; words with a common second meaning ("cho" market / for, "thue" tax / rent) are left out.
import type { Intent, Topic } from './taxonomy';

export const TOPIC_CUES: Readonly<Partial<Record<Topic, readonly string[]>>> = {
  transport: [
    'giao thong', 'den giao thong', 'den tin hieu', 'den do', 'ket xe', 'tac duong', 'un tac', 'xe buyt', 'tuyen buyt', 'bus',
    'tram xe', 'do xe', 'dau xe', 'bai do', 'dang kiem', 'cau vuot', 'ham chui', 'duong sat', 'metro', 'tau dien', 'ben xe',
    'xe om', 'grab', 'taxi', 'phan luong', 'canh sat giao thong', 'lan duong', 'vach ke', 'bien bao', 'o ga', 'o voi',
    'phat nguoi', 'giay phep lai xe', 'bang lai', 'traffic', 'bus stop', 'parking', 'pothole', 'congestion',
  ],
  urban_infrastructure: [
    'ngap', 'ngap nuoc', 'trieu cuong', 'cong thoat nuoc', 'nap cong', 'ho ga', 'mieng cong', 'den duong', 'chieu sang',
    'cay xanh', 'cay nga', 'cay do', 'nhanh cay', 'via he vo', 'via he bong troc', 'nha ve sinh cong cong', 'cong vien',
    'ke bo', 'sut lun', 'ho sut', 'flooding', 'flooded', 'street light', 'manhole', 'drain', 'fallen tree', 'sidewalk',
  ],
  urban_order: [
    'lan chiem', 'chiem via he', 'chiem dung', 'xay dung trai phep', 'xay trai phep', 'khong phep', 'sai phep', 'coi noi',
    'ban hang rong', 'hang rong', 'cho tu phat', 'karaoke', 'loa keo', 'on ao', 'tieng on', 'thi cong ban dem',
    'trat tu do thi', 'encroach', 'noise', 'street vendor', 'illegal construction',
  ],
  environment: [
    'rac', 'rac thai', 'thu gom rac', 'xe rac', 'do rac', 'bai rac', 'xa rac', 'o nhiem', 'bui', 'mui hoi', 'boc mui',
    'nuoc thai', 'xa thai', 'kenh', 'rach', 'xac chet', 'dong vat chet', 'chuot', 'muoi', 'dot rac', 'phe thai', 'moi truong',
    'garbage', 'trash', 'rubbish', 'pollution', 'smell', 'smoke', 'waste',
  ],
  land_housing: [
    'so do', 'so hong', 'giay chung nhan quyen su dung dat', 'quyen su dung dat', 'dat dai', 'tranh chap dat', 'thua dat',
    'quy hoach', 'boi thuong', 'giai toa', 'thu hoi dat', 'tai dinh cu', 'nha o xa hoi', 'chung cu', 'sang ten',
    'chuyen nhuong', 'chuyen muc dich', 'dat nong nghiep', 'tho cu', 'cap phep xay dung', 'giay phep xay dung', 'land',
    'red book', 'apartment', 'compensation', 'zoning',
  ],
  public_security: [
    'tu tap', 'gay roi', 'dam chem', 'dam nguoi', 'chem nguoi', 'hanh hung', 'trom cap', 'be khoa', 'chiem doat', 'tong tien',
    'cuop giat', 'bao ke', 'xa hoi den', 'an ninh trat tu', 'mai dam', 'nghien', 'bat coc', 'stalking', 'harass', 'assault',
    'burglary', 'pickpocket', 'trom', 'cuop', 'giat', 'mat cap', 'danh nhau', 'an ninh', 'dua xe', 'lang lach', 'ma tuy',
    'lua dao', 'gia danh', 'mao danh', 'co bac', 'danh bai', 'de doa', 'con do', 'tin dung den', 'cho vay nang lai', 'bao luc',
    'cong an', 'toi pham', 'chay no', 'phong chay', 'chua chay', 'stolen', 'theft', 'robbery', 'scam', 'fraud', 'police',
    'drugs', 'fight',
  ],
  residence_identity: [
    'dinh danh dien tu', 'tai khoan dinh danh', 'muc 0', 'xac nhan cu tru', 'nhap khau', 'tach khau', 'the tam tru',
    'gia han visa', 'the thuong tru', 'xuat canh', 'nhap canh', 'giay to tuy than', 'sang ten xe', 'bien so xe', 'can cuoc',
    'can cuoc cong dan', 'chung minh nhan dan', 'dinh danh', 'vneid', 'tam tru', 'thuong tru', 'tam vang', 'cu tru', 'ho khau',
    'ho chieu', 'xuat nhap canh', 'thi thuc', 'visa', 'dang ky xe', 'bien so', 'cavet', 'passport', 'residence card',
    'temporary residence', 'identity card', 'id card',
  ],
  electricity: [
    'cup dien', 'mat dien', 'tien dien', 'hoa don dien', 'cong to dien', 'dong ho dien', 'day dien', 'cot dien', 'tram bien ap',
    'dien luc', 'evn', 'chap dien', 'ro dien', 'electricity', 'power cut', 'power outage', 'blackout', 'power line',
  ],
  water_supply: [
    'nuoc may', 'mat nuoc', 'cup nuoc', 'cat nuoc', 'khong co nuoc', 'tien nuoc', 'hoa don nuoc', 'dong ho nuoc', 'ong nuoc',
    'vo ong', 'nuoc duc', 'nuoc yeu', 'cap nuoc', 'sawaco', 'water supply', 'tap water', 'water bill', 'no water', 'pipe',
  ],
  health: [
    'benh vien', 'tram y te', 'phong kham', 'bac si', 'kham benh', 'cap cuu', 'bao hiem y te', 'the bao hiem y te', 'nha thuoc',
    'tiem chung', 'vac xin', 'sot xuat huyet', 'tay chan mieng', 'ngo doc', 've sinh an toan thuc pham', 'an toan thuc pham',
    'y te', 'hospital', 'clinic', 'doctor', 'medicine', 'health insurance', 'food poisoning', 'vaccine',
  ],
  education: [
    'truong hoc', 'hoc sinh', 'sinh vien', 'giao vien', 'co giao', 'thay giao', 'hoc phi', 'tuyen sinh', 'nhap hoc', 'lop 0',
    'lop 00', 'thi tot nghiep', 'ky thi', 'mam non', 'mau giao', 'nha tre', 'hoc them', 'day them', 'ban tru', 'school',
    'teacher', 'student', 'tuition', 'kindergarten', 'enrolment', 'enrollment', 'exam',
  ],
  labor_social: [
    'lao dong', 'nguoi lao dong', 'cong nhan', 'viec lam', 'tim viec', 'hop dong lao dong', 'no luong', 'tien luong', 'sa thai',
    'bao hiem xa hoi', 'bao hiem that nghiep', 'tro cap that nghiep', 'luong huu', 'huu tri', 'tro cap', 'bao tro xa hoi',
    'ho ngheo', 'can ngheo', 'nguoi co cong', 'thuong binh', 'liet si', 'khuyet tat', 'tre em', 'bao ve tre em',
    'nguoi cao tuoi', 'tre lang thang', 'giay phep lao dong', 'work permit', 'job', 'salary', 'wages', 'unemployment',
    'pension', 'social insurance', 'labor', 'labour',
  ],
  civil_justice: [
    'khai sinh', 'giay khai sinh', 'ket hon', 'dang ky ket hon', 'khai tu', 'giay bao tu', 'ly hon', 'ly lich tu phap',
    'phieu ly lich', 'chung thuc', 'sao y', 'ban sao', 'cong chung', 'tu phap', 'tro giup phap ly', 'luat su', 'ho tich',
    'nhan con nuoi', 'giam ho', 'thua ke', 'di chuc', 'birth certificate', 'marriage', 'notary', 'notarize', 'criminal record',
    'legal aid',
  ],
  business_tax: [
    'chi cuc thue', 'cuc thue', 'co quan thue', 'thue gia tri gia tang', 'thue mon bai', 'le phi mon bai', 'hoan thue',
    'no thue', 'ke khai thue', 'to khai', 'etax', 'thue dien tu', 'ma so doanh nghiep', 'hop tac xa', 'giay phep dau tu',
    'tax refund', 'tax code', 'ma so thue', 'nop thue', 'quyet toan thue', 'thue thu nhap', 'thue khoan', 'hoa don dien tu',
    'xuat hoa don', 'ho kinh doanh', 'dang ky kinh doanh', 'giay phep kinh doanh', 'doanh nghiep', 'thanh lap cong ty',
    'dau tu', 'ngan sach', 'von dau tu cong', 'tax', 'invoice', 'business registration', 'company', 'vat',
  ],
  commerce_consumer: [
    'niem yet gia', 'gia niem yet', 'can thieu', 'ban thieu', 'trung tam thuong mai', 'ban hang da cap', 'hang xach tay',
    'nguon goc xuat xu', 'tem nhan', 'quan ly thi truong', 'chong gia', 'dat gia', 'bat chet', 'price', 'receipt', 'warranty',
    'gia ca', 'tang gia', 'ban gia cao', 'hang gia', 'hang nhai', 'hang kem chat luong', 'het han su dung', 'sieu thi',
    'cua hang', 'khuyen mai', 'bao hanh', 'doi tra', 'hoan tien', 'nguoi tieu dung', 'mua online', 'shop',
    'san thuong mai dien tu', 'counterfeit', 'fake goods', 'overcharge', 'refund', 'market', 'consumer',
  ],
  culture_media: [
    'nghe thuat', 'san khau', 'ca nhac', 'phim', 'rap chieu', 'thu vien', 'mang xa hoi', 'facebook', 'tiktok', 'youtube',
    'clip', 'noi dung doc hai', 'xuyen tac', 'tour', 'huong dan vien', 'khach san', 'danh lam', 'san van dong', 'giai dau',
    'bong da', 'hoi cho', 'trien lam', 'concert', 'exhibition', 'hotel', 'tour guide', 'le hoi', 'van hoa', 'du lich',
    'the thao', 'bieu dien', 'van nghe', 'su kien', 'quang cao', 'bien quang cao', 'tin gia', 'tin don', 'bao chi', 'xuat ban',
    'di tich', 'bao tang', 'tet', 'trang web', 'fanpage', 'festival', 'tourism', 'tourist', 'sports', 'advertising',
    'fake news', 'museum',
  ],
  digital_services: [
    'tong dai', 'viettel', 'vinaphone', 'mobifone', 'vnpt', 'fpt', 'chu ky dien tu', 'cong thong tin', 'chuyen doi so', 'ma qr',
    'chuan hoa thue bao', 'an toan thong tin', 'du lieu ca nhan', 'lo du lieu', 'wifi cong cong', 'sim rac', 'broadband',
    'cong dich vu cong', 'dich vu cong truc tuyen', 'chu ky so', 'ky so', 'token', 'internet', 'wifi', 'nha mang', 'sim',
    'thue bao', 'tin nhan rac', 'cap quang', 'vien thong', 'online portal', 'digital signature',
  ],
};

/** Words that say what a message wants, whatever its subject; same spelling rules as above. */
export const INTENT_CUES: Readonly<Record<Intent, readonly string[]>> = {
  question: [
    'khong a', 'chua a', 'duoc khong a', 'the nao a', 'gi a', 'nao vay', 'sao vay', 'gi vay', 'o dau vay', 'co ai biet',
    'xin thong tin', 'tu van', 'huong dan', 'can lam gi', 'phai lam gi', 'nop o dau', 'mat bao lau', 'bao nhieu tien',
    'co mat phi', 'mien phi khong', 'which', 'who', 'do i need', 'is there', 'are there', 'cho hoi', 'xin hoi', 'hoi ve',
    'muon hoi', 'lam sao', 'lam the nao', 'nhu the nao', 'the nao', 'o dau', 'bao nhieu', 'bao lau', 'bao gio', 'khi nao',
    'luc nao', 'may gio', 'may ngay', 'thu tuc', 'ho so gom', 'can giay to gi', 'giay to gi', 'co duoc khong', 'duoc khong',
    'phai khong', 'co phai', 'co can', 'co bat buoc', 'quy dinh', 'muc phi', 'le phi', 'how', 'what', 'where', 'when', 'can i',
    'do i', 'is it',
  ],
  feedback: [
    'yeu cau', 'mong co quan', 'de nghi kiem tra', 'xu ly nghiem', 'van chua', 'khong ai', 'qua dang', 'anh huong', 'hu hong',
    'xuong cap', 'tinh trang', 'tai dien', 'thuong xuyen', 'moi ngay', 'dem nao cung', 'please check', 'there is', 'there are',
    'for days', 'de nghi', 'kien nghi', 'phan anh', 'buc xuc', 'khieu nai', 'to cao', 'to giac', 'xu ly giup', 'xu ly di',
    'khong ai xu ly', 'tran lan', 'nguy hiem', 'keo dai', 'nhieu ngay', 'bao lau roi', 'het chiu', 'gay kho', 'nhung nhieu',
    'please fix', 'complain', 'complaint', 'broken', 'dangerous',
  ],
  service_support: [
    'dang nhap', 'mat khau', 'quen mat khau', 'otp', 'ma xac thuc', 'bao loi', 'bi loi', 'loi he thong', 'tai khoan', 'bi khoa',
    'khong nop duoc', 'nop truc tuyen', 'nop online', 'thanh toan', 'tru tien', 'tai len', 'dinh kem', 'bi treo',
    'khong vao duoc', 'dich vu cong', 'cong dich vu cong', 'login', 'log in', 'password', 'error', 'upload', 'account',
  ],
  press: [
    'phong vien', 'bien tap vien', 'nha bao', 'toa soan', 'bao', 'tap chi', 'dai truyen hinh', 'truyen hinh', 'phat thanh',
    'phong van', 'hop bao', 'thong cao bao chi', 'tac nghiep', 'the nha bao', 'ghi hinh', 'dua tin', 'reporter', 'journalist',
    'newspaper', 'press', 'interview', 'media',
  ],
  status: [
    'xxmaxx', 'ma ho so', 'ma so ho so', 'ma phan anh', 'tra cuu', 'tien do', 'den dau roi', 'toi dau roi', 'da gui', 'gui roi',
    'chua thay tra loi', 'chua thay phan hoi', 'chua co ket qua', 'van chua', 'xu ly chua', 'follow up', 'following up',
    'status', 'any update',
  ],
  other: ['xin chao', 'chao', 'cam on', 'cam on nhieu', 'tam biet', 'hello', 'hi', 'thanks', 'thank you', 'good morning', 'ok', 'oke'],
};
