"""Write extractor/resources/person_names.txt: what the party grammar needs to tell a
person's name (何凯, 朱垭烨, 欧阳明) from a word that begins with a surname's character
(周三, 万元, 周密, 方案): the common surnames (a closed list, below), and the words of
jieba's dictionary that start with one and are frequent (>= MIN_FREQ), which are no names.
A plan names its people in assignment forms only (摄像（何凯）, 李余进、林国策负责…), so
the list of surnames and the list of common words are all the grammar needs.

    python scripts/build_names.py
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIN_FREQ = 20
# The common single-character surnames of the mainland, Taiwan and Hong Kong (simplified).
# 和 is left out: the conjunction (和规范执教) far outnumbers the name.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
            "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
            "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
            "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
            "佘池乐居钭楼裘洪")
COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文",
            "司徒", "端木", "西门", "南宫", "独孤", "钟离", "闻人")


def main() -> None:
    first = set(SURNAMES)
    words = set()
    for line in resources.files("jieba").joinpath("dict.txt").read_text("utf-8").splitlines():
        w, freq, _pos = line.split()
        if 2 <= len(w) <= 4 and w[0] in first and int(freq) >= MIN_FREQ:
            if all("\u4e00" <= ch <= "\u9fff" for ch in w):
                words.add(w)
    out = ROOT / "extractor" / "resources" / "person_names.txt"
    out.write_text("# surnames, compound surnames, then frequent words that begin with a surname's character\n"
                   "# (jieba's dictionary, frequency >= 20): scripts/build_names.py\n"
                   + "".join(sorted(set(SURNAMES))) + "\n" + ",".join(COMPOUND) + "\n"
                   + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(first)} surnames, {len(words)} common words")


if __name__ == "__main__":
    main()
