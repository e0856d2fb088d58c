"""The school-calendar time grammar on real phrases taken from the corpus (and the seeds),
each with its expected values. One row per distinct phrase as it occurs in the documents
(traditional phrases stay traditional: the grammar reads the normalised text)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extractor.normalise import normalise
from extractor.records import dump
from extractor.timex import TimeIndex, find_times, parse_time

CASES = [
    # a bare day with its part of day, as a calendar's entries write it (0236, 0219)
    ('22日下午', {'kind': 'date', 'day': 22, 'part_of_day': 'afternoon'}),
    ('22日中午', {'kind': 'date', 'day': 22, 'part_of_day': 'afternoon'}),
    ('28日下午', {'kind': 'date', 'day': 28, 'part_of_day': 'afternoon'}),
    ('2005学年第二学期', {'kind': 'term', 'term': 2, 'academic_year': '2005-2006', 'year': 2005}),
    ('本年度', {'kind': 'relative', 'relative': 'this'}),
    ('每年', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('每学期至少读一本', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('每学期召开一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('每月1节以上', {'kind': 'frequency', 'freq': (1, 'month', 1)}),  # 0031: 组织教师听青年教师课每月1节以上
    ('本学期', {'kind': 'relative', 'relative': 'this'}),
    ('每学期至少安排二次', {'kind': 'frequency', 'freq': (2, 'term', 1)}),
    ('2023-2024年', {'kind': 'year', 'academic_year': '2023-2024', 'year': 2023, 'dur': (1, 'year', '=')}),
    ('新学年', {'kind': 'relative', 'relative': 'next'}),
    ('2023-2024学年度', {'kind': 'year', 'academic_year': '2023-2024', 'year': 2023}),
    ('学期初', {'kind': 'term', 'term_part': 'start'}),
    ('每学年', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('第一学期', {'kind': 'term', 'term': 1}),
    ('第二学期', {'kind': 'term', 'term': 2}),
    ('2023-2024学年度第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2023-2024', 'year': 2023}),
    ('5—15年', {'kind': 'duration', 'dur': (5, 'year', '=')}),
    ('2023-2024学年', {'kind': 'year', 'academic_year': '2023-2024', 'year': 2023}),
    ('2023年', {'kind': 'year', 'year': 2023}),
    ('本学年', {'kind': 'relative', 'relative': 'this'}),
    ('每年1次', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('2015年', {'kind': 'year', 'year': 2015}),
    ('每周至少1篇', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('每学期不少于15篇', {'kind': 'frequency', 'freq': (15, 'term', 1)}),
    ('学期末', {'kind': 'term', 'term_part': 'end'}),
    ('期末', {'kind': 'term', 'term_part': 'end'}),
    ('每学期', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('2020-03-18', {'kind': 'date', 'month': 3, 'day': 18, 'year': 2020}),
    ('九月', {'kind': 'month', 'month': 9}),
    ('02-04年', {'kind': 'year', 'year': 2002}),
    ('04-06年', {'kind': 'year', 'year': 2004}),
    ('06-07年', {'kind': 'year', 'academic_year': '2006-2007', 'year': 2006}),
    ('八月', {'kind': 'month', 'month': 8}),
    ('十月', {'kind': 'month', 'month': 10}),
    ('每季度', {'kind': 'frequency', 'freq': (1, 'month', 3)}),
    ('暑假期间', {'kind': 'term', 'holiday': 'summer'}),
    ('不少于三天', {'kind': 'duration', 'dur': (3, 'day', '>=')}),
    ('101學年度', {'kind': 'year', 'academic_year': '2012-2013', 'year': 2012}),
    ('每學年', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('每月', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('每學年至少一次', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('102學年度', {'kind': 'year', 'academic_year': '2013-2014', 'year': 2013}),
    ('起碼十年以上', {'kind': 'duration', 'dur': (10, 'year', '>=')}),
    ('三年內', {'kind': 'duration', 'dur': (3, 'year', '<=')}),
    ('2020年度', {'kind': 'year', 'year': 2020}),
    ('第一季度', {'kind': 'month'}),
    ('二月', {'kind': 'month', 'month': 2}),
    ('三月', {'kind': 'month', 'month': 3}),
    ('2020-11-30', {'kind': 'date', 'month': 11, 'day': 30, 'year': 2020}),
    ('每月1节', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('2024-2025学年第二学期', {'kind': 'term', 'term': 2, 'academic_year': '2024-2025', 'year': 2024}),
    ('2025/2/14', {'kind': 'date', 'month': 2, 'day': 14, 'year': 2025}),
    ('2024-2025学年度第二学期', {'kind': 'term', 'term': 2, 'academic_year': '2024-2025', 'year': 2024}),
    ('2022年', {'kind': 'year', 'year': 2022}),
    ('每月2次', {'kind': 'frequency', 'freq': (2, 'month', 1)}),
    ('3月', {'kind': 'month', 'month': 3}),
    ('4月', {'kind': 'month', 'month': 4}),
    ('5月', {'kind': 'month', 'month': 5}),
    ('6月', {'kind': 'month', 'month': 6}),
    ('2026-01-25', {'kind': 'date', 'month': 1, 'day': 25, 'year': 2026}),
    ('4-15年', {'kind': 'duration', 'dur': (4, 'year', '=')}),
    ('每学期撰写1篇', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('上学期', {'kind': 'term', 'term': 1}),
    ('2022 年度', {'kind': 'year', 'year': 2022}),
    ('2024 年度', {'kind': 'year', 'year': 2024}),
    ('1994年', {'kind': 'year', 'year': 1994}),
    ('2019-2020年度', {'kind': 'year', 'academic_year': '2019-2020', 'year': 2019, 'dur': (1, 'year', '=')}),
    ('19-20 年', {'kind': 'year', 'academic_year': '2019-2020', 'year': 2019}),
    ('2019-2020 年', {'kind': 'year', 'academic_year': '2019-2020', 'year': 2019, 'dur': (1, 'year', '=')}),
    ('2019-2020 年度', {'kind': 'year', 'academic_year': '2019-2020', 'year': 2019, 'dur': (1, 'year', '=')}),
    ('5月4日', {'kind': 'date', 'month': 5, 'day': 4}),
    ('每週', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('106學年度', {'kind': 'year', 'academic_year': '2017-2018', 'year': 2017}),
    ('一學年至少8次', {'kind': 'frequency', 'freq': (8, 'year', 1)}),
    ('102學年度第一學期', {'kind': 'term', 'term': 1, 'academic_year': '2013-2014', 'year': 2013}),
    ('102 學年度第一學期', {'kind': 'term', 'term': 1, 'academic_year': '2013-2014', 'year': 2013}),
    ('8 月 28 日(星期三)', {'kind': 'date', 'month': 8, 'day': 28, 'weekday': 3}),
    ('102 學年度', {'kind': 'year', 'academic_year': '2013-2014', 'year': 2013}),
    ('8 月 20 日', {'kind': 'date', 'month': 8, 'day': 20}),
    ('7月6日', {'kind': 'date', 'month': 7, 'day': 6}),
    ('7月20日', {'kind': 'date', 'month': 7, 'day': 20}),
    ('8月3日', {'kind': 'date', 'month': 8, 'day': 3}),
    ('105學年度', {'kind': 'year', 'academic_year': '2016-2017', 'year': 2016}),
    ('6月15日(星期三)', {'kind': 'date', 'month': 6, 'day': 15, 'weekday': 3}),
    # the weekday first, its date in brackets (0250's weekly table, 0216's week plan)
    ('星期一(2017-02-13)', {'kind': 'date', 'year': 2017, 'month': 2, 'day': 13, 'weekday': 1}),
    ('周三 （9月18日）', {'kind': 'date', 'month': 9, 'day': 18, 'weekday': 3}),
    ('7 月 3 日', {'kind': 'date', 'month': 7, 'day': 3}),
    ('本學年度', {'kind': 'relative', 'relative': 'this'}),
    ('2011-2020年', {'kind': 'year', 'year': 2011, 'dur': (9, 'year', '=')}),
    ('2020年', {'kind': 'year', 'year': 2020}),
    ('一年三天', {'kind': 'frequency', 'freq': (3, 'year', 1)}),
    ('8月30日', {'kind': 'date', 'month': 8, 'day': 30}),
    ('10月30日', {'kind': 'date', 'month': 10, 'day': 30}),
    ('學期結束時', {'kind': 'term', 'term_part': 'end'}),
    ('每學期', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('98學年度', {'kind': 'year', 'academic_year': '2009-2010', 'year': 2009}),
    ('104學年度', {'kind': 'year', 'academic_year': '2015-2016', 'year': 2015}),
    ('每周', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('9月底', {'kind': 'month', 'month': 9, 'part_of_month': 'end'}),
    ('三年内', {'kind': 'duration', 'dur': (3, 'year', '<=')}),
    ('九月末', {'kind': 'month', 'month': 9, 'part_of_month': 'end'}),
    ('10月15日', {'kind': 'date', 'month': 10, 'day': 15}),
    ('2024年', {'kind': 'year', 'year': 2024}),
    ('2023年秋季', {'kind': 'term', 'term': 1, 'year': 2023}),
    ('秋季学期', {'kind': 'term', 'term': 1}),
    ('每周组织一次', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('每月开展一次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('每学期开展一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('每周开展一次', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('每月举行一次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('每一天', {'kind': 'frequency', 'freq': (1, 'day', 1)}),
    ('每周两次', {'kind': 'frequency', 'freq': (2, 'week', 1)}),
    ('2017年', {'kind': 'year', 'year': 2017}),
    ('2024-2025学年第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2024-2025', 'year': 2024}),
    ('2026-01-31', {'kind': 'date', 'month': 1, 'day': 31, 'year': 2026}),
    ('2026年', {'kind': 'year', 'year': 2026}),
    ('3月底前', {'kind': 'month', 'month': 3, 'part_of_month': 'end'}),
    ('年底', {'kind': 'term', 'term_part': 'end'}),
    ('不少於50學時', {'kind': 'duration', 'dur': (50, 'hour', '>=')}),
    ('不少於20學時', {'kind': 'duration', 'dur': (20, 'hour', '>=')}),
    ('不少於30學時', {'kind': 'duration', 'dur': (30, 'hour', '>=')}),
    ('2023年春季', {'kind': 'term', 'term': 2, 'year': 2023}),
    ('春季学期', {'kind': 'term', 'term': 2}),
    ('2026年春季学期', {'kind': 'term', 'term': 2, 'year': 2026}),
    ('每五年一个', {'kind': 'frequency', 'freq': (1, 'year', 5)}),
    ('不少于 360 学时', {'kind': 'duration', 'dur': (360, 'hour', '>=')}),
    ('每月一次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('2020-05-28', {'kind': 'date', 'month': 5, 'day': 28, 'year': 2020}),
    ('2025-2026学年春季', {'kind': 'term', 'term': 2, 'academic_year': '2025-2026', 'year': 2025}),
    ('2026-01-20', {'kind': 'date', 'month': 1, 'day': 20, 'year': 2026}),
    ('2018学年第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2018-2019', 'year': 2018}),
    ('2026-01-15', {'kind': 'date', 'month': 1, 'day': 15, 'year': 2026}),
    ('双周', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('单周', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('每日', {'kind': 'frequency', 'freq': (1, 'day', 1)}),
    ('本学年度', {'kind': 'relative', 'relative': 'this'}),
    ('3-8年', {'kind': 'duration', 'dur': (3, 'year', '=')}),
    ('3 月', {'kind': 'month', 'month': 3}),
    ('四年內', {'kind': 'duration', 'dur': (4, 'year', '<=')}),
    ('假期', {'kind': 'term'}),
    ('每個月至少召開一次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('每學期至少召開一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('每學年至少召開一次', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('97學年度', {'kind': 'year', 'academic_year': '2008-2009', 'year': 2008}),
    ('57~60年', {'kind': 'year'}),
    ('二至三年', {'kind': 'duration', 'dur': (2, 'year', '=')}),
    ('2020-04-12', {'kind': 'date', 'month': 4, 'day': 12, 'year': 2020}),
    ('2026-02-19', {'kind': 'date', 'month': 2, 'day': 19, 'year': 2026}),
    ('2023学年第二学期', {'kind': 'term', 'term': 2, 'academic_year': '2023-2024', 'year': 2023}),
    ('開學', {'kind': 'term', 'term_part': 'start'}),
    ('2017年度', {'kind': 'year', 'year': 2017}),
    ('1-4周', {'kind': 'duration', 'dur': (1, 'week', '=')}),
    ('5-8周', {'kind': 'duration', 'dur': (5, 'week', '=')}),
    ('9-12周', {'kind': 'duration', 'dur': (9, 'week', '=')}),
    ('每周安排两节', {'kind': 'frequency', 'freq': (2, 'week', 1)}),
    ('2011年', {'kind': 'year', 'year': 2011}),
    ('每周至少活动一次', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('至少40分钟', {'kind': 'duration', 'dur': (40, 'minute', '>=')}),
    ('第一學期', {'kind': 'term', 'term': 1}),
    ('每周進行一次', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('每周進行兩次', {'kind': 'frequency', 'freq': (2, 'week', 1)}),
    ('每周至少一次', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('2025-06-11', {'kind': 'date', 'month': 6, 'day': 11, 'year': 2025}),
    ('2023-05-06', {'kind': 'date', 'month': 5, 'day': 6, 'year': 2023}),
    ('10 月 30 日', {'kind': 'date', 'month': 10, 'day': 30}),
    ('02 月 04 日', {'kind': 'date', 'month': 2, 'day': 4}),
    ('08 月 01 日', {'kind': 'date', 'month': 8, 'day': 1}),
    ('每月开展2次', {'kind': 'frequency', 'freq': (2, 'month', 1)}),
    ('2021-04-12', {'kind': 'date', 'month': 4, 'day': 12, 'year': 2021}),
    ('五年内', {'kind': 'duration', 'dur': (5, 'year', '<=')}),
    ('2025-2026 学年第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2025-2026', 'year': 2025}),
    ('新学期', {'kind': 'relative', 'relative': 'next'}),
    ('2025-06-26', {'kind': 'date', 'month': 6, 'day': 26, 'year': 2025}),
    ('周六', {'kind': 'weekday', 'weekday': 6}),
    ('寒暑假', {'kind': 'term'}),
    ('2013年9月', {'kind': 'month', 'month': 9, 'year': 2013}),
    ('2018年7月', {'kind': 'month', 'month': 7, 'year': 2018}),
    ('2013年9月-2018年7月', {'kind': 'month', 'month': 9, 'month_end': 7, 'year': 2013}),
    ('2017年9月——2020年6月', {'kind': 'month', 'month': 9, 'month_end': 6, 'year': 2017}),
    ('1906年', {'kind': 'year', 'year': 1906}),
    ('1998年', {'kind': 'year', 'year': 1998}),
    ('2002年', {'kind': 'year', 'year': 2002}),
    ('2025-06-21', {'kind': 'date', 'month': 6, 'day': 21, 'year': 2025}),
    ('十年内', {'kind': 'duration', 'dur': (10, 'year', '<=')}),
    ('9 月', {'kind': 'month', 'month': 9}),
    ('103學年度', {'kind': 'year', 'academic_year': '2014-2015', 'year': 2014}),
    ('11月', {'kind': 'month', 'month': 11}),
    ('学期中', {'kind': 'term', 'term_part': 'mid'}),
    ('2018—2019学年度第二学期', {'kind': 'term', 'term': 2, 'academic_year': '2018-2019', 'year': 2018}),
    ('2022-02-24', {'kind': 'date', 'month': 2, 'day': 24, 'year': 2022}),
    ('110學年度', {'kind': 'year', 'academic_year': '2021-2022', 'year': 2021}),
    ('10月17日', {'kind': 'date', 'month': 10, 'day': 17}),
    ('9月', {'kind': 'month', 'month': 9}),
    ('10月', {'kind': 'month', 'month': 10}),
    ('114學年', {'kind': 'year', 'academic_year': '2025-2026', 'year': 2025}),
    ('2025-04-10', {'kind': 'date', 'month': 4, 'day': 10, 'year': 2025}),
    ('3月26日', {'kind': 'date', 'month': 3, 'day': 26}),
    ('每天', {'kind': 'frequency', 'freq': (1, 'day', 1)}),
    ('7-8月', {'kind': 'month', 'month': 7, 'month_end': 8}),
    ('每月至少开展一次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('2035年', {'kind': 'year', 'year': 2035}),
    ('2012年', {'kind': 'year', 'year': 2012}),
    ('2018年', {'kind': 'year', 'year': 2018}),
    ('2022-05-02', {'kind': 'date', 'month': 5, 'day': 2, 'year': 2022}),
    ('开学前', {'kind': 'term', 'term_part': 'start'}),
    ('期中', {'kind': 'term', 'term_part': 'mid'}),
    ('2025-2026学年第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2025-2026', 'year': 2025}),
    ('2026-01-30', {'kind': 'date', 'month': 1, 'day': 30, 'year': 2026}),
    ('每月组织2次', {'kind': 'frequency', 'freq': (2, 'month', 1)}),
    ('1-2月', {'kind': 'month', 'month': 1, 'month_end': 2}),
    ('3-4月', {'kind': 'month', 'month': 3, 'month_end': 4}),
    ('5-6月', {'kind': 'month', 'month': 5, 'month_end': 6}),
    ('2022-2023学年度第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2022-2023', 'year': 2022}),
    ('2020—2021学年度第二学期', {'kind': 'term', 'term': 2, 'academic_year': '2020-2021', 'year': 2020}),
    ('每月开展两次', {'kind': 'frequency', 'freq': (2, 'month', 1)}),
    ('不少于10节', {'kind': 'duration', 'dur': (10, 'lesson', '>=')}),
    ('九月份', {'kind': 'month', 'month': 9}),
    ('十月份', {'kind': 'month', 'month': 10}),
    ('二月份', {'kind': 'month', 'month': 2}),
    ('三月份', {'kind': 'month', 'month': 3}),
    ('四月份', {'kind': 'month', 'month': 4}),
    ('五月份', {'kind': 'month', 'month': 5}),
    ('六月份', {'kind': 'month', 'month': 6}),
    ('本學期', {'kind': 'relative', 'relative': 'this'}),
    ('十一月份', {'kind': 'month', 'month': 11}),
    ('2026-03-17', {'kind': 'date', 'month': 3, 'day': 17, 'year': 2026}),
    ('周一上午', {'kind': 'weekday', 'weekday': 1, 'part_of_day': 'morning'}),
    ('每学期开展2次', {'kind': 'frequency', 'freq': (2, 'term', 1)}),
    ('2026-01-26', {'kind': 'date', 'month': 1, 'day': 26, 'year': 2026}),
    ('每月1次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('12月', {'kind': 'month', 'month': 12}),
    ('4-6周', {'kind': 'duration', 'dur': (4, 'week', '=')}),
    ('2007—2008学年第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2007-2008', 'year': 2007}),
    ('不少于20分钟', {'kind': 'duration', 'dur': (20, 'minute', '>=')}),
    ('每周四上午', {'kind': 'frequency', 'weekday': 4, 'part_of_day': 'morning', 'freq': (1, 'week', 1)}),
    ('2025年', {'kind': 'year', 'year': 2025}),
    ('2025学年度', {'kind': 'year', 'academic_year': '2025-2026', 'year': 2025}),
    ('每学期至少开展一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('7月份', {'kind': 'month', 'month': 7}),
    ('2023-10-20', {'kind': 'date', 'month': 10, 'day': 20, 'year': 2023}),
    ('开学初', {'kind': 'term', 'term_part': 'start'}),
    ('2024-04-25', {'kind': 'date', 'month': 4, 'day': 25, 'year': 2024}),
    ('2016-05-06', {'kind': 'date', 'month': 5, 'day': 6, 'year': 2016}),
    ('週三', {'kind': 'weekday', 'weekday': 3}),
    ('2021—2022学年第一学期', {'kind': 'term', 'term': 1, 'academic_year': '2021-2022', 'year': 2021}),
    ('周一', {'kind': 'weekday', 'weekday': 1}),
    ('上学年', {'kind': 'relative', 'relative': 'last'}),
    ('每两周一次', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('期初', {'kind': 'term', 'term_part': 'start'}),
    ('2023年下半年', {'kind': 'year', 'year': 2023}),
    ('暑假', {'kind': 'term', 'holiday': 'summer'}),
    ('2019年', {'kind': 'year', 'year': 2019}),
    ('每学期撰写一篇', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('週三下午', {'kind': 'weekday', 'weekday': 3, 'part_of_day': 'afternoon'}),
    ('週四下午', {'kind': 'weekday', 'weekday': 4, 'part_of_day': 'afternoon'}),
    ('週二下午', {'kind': 'weekday', 'weekday': 2, 'part_of_day': 'afternoon'}),
    ('每月兩次', {'kind': 'frequency', 'freq': (2, 'month', 1)}),
    ('週一下午', {'kind': 'weekday', 'weekday': 1, 'part_of_day': 'afternoon'}),
    ('每學期組織一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('不少於2學分', {'kind': 'duration', 'dur': (2, 'credit', '>=')}),
    ('每學期讀一本', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('一學期一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('兩週一次', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('開學初', {'kind': 'term', 'term_part': 'start'}),
    ('3-5年', {'kind': 'duration', 'dur': (3, 'year', '=')}),
    ('每学期至少开展1次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('每学年至少开展1次', {'kind': 'frequency', 'freq': (1, 'year', 1)}),
    ('不少于两节课', {'kind': 'duration', 'dur': (2, 'lesson', '>=')}),
    ('半天', {'kind': 'duration', 'dur': (0.5, 'day', '=')}),
    ('不少于1节', {'kind': 'duration', 'dur': (1, 'lesson', '>=')}),
    ('不少于20节', {'kind': 'duration', 'dur': (20, 'lesson', '>=')}),
    ('每周1次', {'kind': 'frequency', 'freq': (1, 'week', 1)}),
    ('2023年度', {'kind': 'year', 'year': 2023}),
    ('2025-07-12', {'kind': 'date', 'month': 7, 'day': 12, 'year': 2025}),
    ('一年內', {'kind': 'duration', 'dur': (1, 'year', '<=')}),
    ('不少于30天', {'kind': 'duration', 'dur': (30, 'day', '>=')}),
    ('暑假期間', {'kind': 'term', 'holiday': 'summer'}),
    ('不少于2天', {'kind': 'duration', 'dur': (2, 'day', '>=')}),
    ('不少于1天', {'kind': 'duration', 'dur': (1, 'day', '>=')}),
    ('2013年', {'kind': 'year', 'year': 2013}),
    ('2013-10-24', {'kind': 'date', 'month': 10, 'day': 24, 'year': 2013}),
    ('每學期至少一次', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('不少于30分鐘', {'kind': 'duration', 'dur': (30, 'minute', '>=')}),
    ('每月至少一次', {'kind': 'frequency', 'freq': (1, 'month', 1)}),
    ('每學期至少3次', {'kind': 'frequency', 'freq': (3, 'term', 1)}),
    ('每兩月至少開展一次', {'kind': 'frequency', 'freq': (1, 'month', 2)}),
    # phrases named by the issue that the corpus words differently
    ('9月上旬', {'kind': 'month', 'month': 9, 'part_of_month': 'early'}),
    ('十月中旬', {'kind': 'month', 'month': 10, 'part_of_month': 'mid'}),
    ('12月底前', {'kind': 'month', 'month': 12, 'part_of_month': 'end'}),
    ('9月1日', {'kind': 'date', 'month': 9, 'day': 1}),
    ('每周一下午', {'kind': 'frequency', 'weekday': 1, 'part_of_day': 'afternoon', 'freq': (1, 'week', 1)}),
    ('两周一次', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('每学期至少1节', {'kind': 'frequency', 'freq': (1, 'term', 1)}),
    ('下学期', {'kind': 'term', 'term': 2}),
    ('寒假', {'kind': 'term', 'holiday': 'winter'}),
    ('2022学年', {'kind': 'year', 'academic_year': '2022-2023', 'year': 2022}),
    ('2021年9月至2022年1月', {'kind': 'month', 'month': 9, 'month_end': 1, 'year': 2021}),
    ('一年内', {'kind': 'duration', 'dur': (1, 'year', '<=')}),
    ('一年三天', {'kind': 'frequency', 'freq': (3, 'year', 1)}),
    # calendars and work tables of the full pages (0212–0253), and the families of issue 16
    ('第18周 （6.12-6.19）', {'kind': 'week', 'week': 18, 'month': 6, 'day': 12, 'day_end': 19}),
    ('第二十二周', {'kind': 'week', 'week': 22}),
    ('第19周', {'kind': 'week', 'week': 19}),
    ('第00周', {'kind': 'week', 'week': 0}),
    ('预备周', {'kind': 'week', 'week': 0}),
    ('第一、二周', {'kind': 'week', 'week': 1, 'week_end': 2}),
    ('第3-4周', {'kind': 'week', 'week': 3, 'week_end': 4}),
    ('第1周周一上午', {'kind': 'week', 'week': 1, 'weekday': 1, 'part_of_day': 'morning'}),
    ('8.26（周三）', {'kind': 'date', 'month': 8, 'day': 26, 'weekday': 3}),
    ('1.25（周一）', {'kind': 'date', 'month': 1, 'day': 25, 'weekday': 1}),
    ('11.30（周一）', {'kind': 'date', 'month': 11, 'day': 30, 'weekday': 1}),
    ('9.1-9.7', {'kind': 'date', 'month': 9, 'day': 1, 'day_end': 7}),
    ('6.12-6.19', {'kind': 'date', 'month': 6, 'day': 12, 'day_end': 19}),
    ('6.26-7.2', {'kind': 'date', 'month': 6, 'day': 26, 'month_end': 7, 'day_end': 2}),
    ('11.30-12.6', {'kind': 'date', 'month': 11, 'day': 30, 'month_end': 12, 'day_end': 6}),
    ('6.21--26日', {'kind': 'date', 'month': 6, 'day': 21, 'day_end': 26}),
    ('6月13-16日', {'kind': 'date', 'month': 6, 'day': 13, 'day_end': 16}),
    ('8月17日--8月27日', {'kind': 'date', 'month': 8, 'day': 17, 'day_end': 27}),
    ('12月15日——12月18日', {'kind': 'date', 'month': 12, 'day': 15, 'day_end': 18}),
    ('12月26日——1月1日', {'kind': 'date', 'month': 12, 'day': 26, 'month_end': 1, 'day_end': 1}),
    ('12月27日-31日', {'kind': 'date', 'month': 12, 'day': 27, 'day_end': 31}),
    ('1月10日（周一）', {'kind': 'date', 'month': 1, 'day': 10, 'weekday': 1}),
    ('2月1日（一）', {'kind': 'date', 'month': 2, 'day': 1, 'weekday': 1}),
    ('6月13日', {'kind': 'date', 'month': 6, 'day': 13}),
    ('25日（一）～27日（三）', {'kind': 'date', 'day': 25, 'day_end': 27, 'weekday': 1}),
    ('4日（四）', {'kind': 'date', 'day': 4, 'weekday': 4}),
    ('7日～28日', {'kind': 'date', 'day': 7, 'day_end': 28}),
    ('28日（四）', {'kind': 'date', 'day': 28, 'weekday': 4}),
    ('全年', {'kind': 'year'}),
    ('待定', {'kind': 'relative'}),
    ('时间另定', {'kind': 'relative'}),
    ('5月底', {'kind': 'month', 'month': 5, 'part_of_month': 'end'}),
    ('8月下旬', {'kind': 'month', 'month': 8, 'part_of_month': 'late'}),
    ('九月末', {'kind': 'month', 'month': 9, 'part_of_month': 'end'}),
    ('每年八月', {'kind': 'frequency', 'month': 8, 'freq': (1, 'year', 1)}),
    ('每日', {'kind': 'frequency', 'freq': (1, 'day', 1)}),
    ('每天', {'kind': 'frequency', 'freq': (1, 'day', 1)}),
    ('双周', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('隔周', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('雙週三下午', {'kind': 'frequency', 'weekday': 3, 'part_of_day': 'afternoon', 'freq': (1, 'week', 2)}),
    ('單週', {'kind': 'frequency', 'freq': (1, 'week', 2)}),
    ('每周四上午', {'kind': 'frequency', 'weekday': 4, 'part_of_day': 'morning', 'freq': (1, 'week', 1)}),
    ('月初', {'kind': 'month', 'part_of_month': 'early'}),
    ('月末', {'kind': 'month', 'part_of_month': 'end'}),
    ('月中', {'kind': 'month', 'part_of_month': 'mid'}),
    ('每月月底', {'kind': 'frequency', 'part_of_month': 'end', 'freq': (1, 'month', 1)}),
    ('第一年', {'kind': 'year', 'programme_year': 1}),
    ('第三年', {'kind': 'year', 'programme_year': 3}),
]


@pytest.mark.parametrize(("phrase", "expected"), CASES, ids=[c[0] for c in CASES])
def test_phrase(phrase: str, expected: dict) -> None:
    t = parse_time(normalise(phrase))
    assert t is not None, f"{phrase!r} is not read as one time expression"
    assert t.source_span == (0, len(phrase)) or t.text == normalise(phrase).strip()
    got = {"kind": t.kind}
    for key in ("month", "month_end", "day", "day_end", "week", "week_end", "weekday", "part_of_day", "term",
                "term_part", "academic_year", "year", "holiday", "relative", "part_of_month", "programme_year"):
        if getattr(t, key) is not None:
            got[key] = getattr(t, key)
    if t.frequency:
        got["freq"] = (t.frequency.count, t.frequency.per, t.frequency.interval)
    if t.duration:
        got["dur"] = (t.duration["quantity"], t.duration["unit"], t.duration["comparator"])
    assert got == expected


def test_at_least_250_real_phrases() -> None:
    assert len({c[0] for c in CASES}) >= 250


def test_a_time_broken_by_a_line_break() -> None:
    # hard-wrapped text breaks a phrase: 每\n学年 is still every school year
    text = normalise("教师每\n学年撰写一篇论文")
    [t] = TimeIndex(text).times
    assert t.frequency is not None and t.frequency.per == "year" and t.text.startswith("每\n学年")
    assert text[slice(*t.source_span)] == t.text


def test_a_year_after_a_month_starts_another_time() -> None:
    # 0213: 三月份\n2020年省心理健康教育…确认 — a month label, then a line opening with a year
    text = normalise("三月份\n2020年省心理健康教育100所示范校确认")
    assert [(t.text, t.kind) for t in TimeIndex(text).times] == [("三月份", "month"), ("2020年", "year")]
    assert [t.text for t in find_times("2020年3月")] == ["2020年3月"]


def test_a_year_after_a_term_starts_another_time() -> None:
    # seed 001: 本学期2019年立项的区级个人课题也将进入结题阶段 — this term; the projects of 2019
    text = normalise("本学期2019年立项的区级个人课题也将进入结题阶段")
    assert [t.text for t in find_times(text)] == ["本学期", "2019年"]


def test_a_programme_year_label_needs_its_colon() -> None:
    assert [(t.text, t.programme_year) for t in find_times(normalise("1年:建立制度；第2年：完善"))] == [
        ("1年", 1), ("第2年", 2)]
    for text in ("满3年：", "教龄1年：", "近1年:", "2021年:"):
        assert not [t for t in find_times(normalise(text)) if t.programme_year], text


@pytest.mark.parametrize("text", ["各年级", "每个年级", "各年级组", "第三章", "10万元", "3.5%", "一月一主题"])
def test_not_times(text: str) -> None:
    assert not any(t.kind in ("frequency", "month", "year") for t in find_times(normalise(text)))


def test_spans_in_a_sentence() -> None:
    s = "学科组每月1次、教研组每周1次开展集体教研活动"
    times = find_times(normalise(s))
    assert [s[a:b] for a, b in (t.source_span for t in times)] == ["每月1次", "每周1次"]
    assert [t.frequency.per for t in times] == ["month", "week"]


@pytest.mark.parametrize(("text", "phrase"), [("学期初召开教研组长会议", "学期初"), ("在学年初制定计划", "学年初"),
                                              ("开学期末各检查一次", "期末")])
def test_rule_gates_see_overlapping_words(text: str, phrase: str) -> None:
    # The gate scans for literals longest-first: 学年 must not hide the 年初 a rule needs.
    assert phrase in [t.text for t in find_times(normalise(text))]


def test_times_read_through_pinyin_annotations() -> None:
    # Template sites annotate characters with pinyin (corpus 0059, 0122): 每學(xué)期召開(kāi)一次.
    text = normalise("每學(xué)期召開(kāi)一次工作室會(huì)議,每月(yuè)一次")
    times = TimeIndex(text).times
    assert [(t.text, t.frequency.per) for t in times] == [("每学(xué)期召开(kāi)一次", "term"), ("每月(yuè)一次", "month")]
    assert all(text[a:b] == t.text for t in times for a, b in [t.source_span])


# --- the sentence pieces find_times tries rules on ------------------------------------------
_CATEGORY = {"CATEGORY_DIGIT": str.isdecimal, "CATEGORY_SPACE": str.isspace,
             "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_"}


def _in_class(members, ch: str) -> bool:
    from re import _constants as c

    hit, negate = False, False
    for op, av in members:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            hit |= chr(av) == ch
        elif op is c.RANGE:
            hit |= av[0] <= ord(ch) <= av[1]
        elif op is c.CATEGORY:
            name = str(av)
            test = _CATEGORY.get(name.replace("NOT_", ""))
            assert test is not None, name
            hit |= test(ch) != ("NOT_" in name)
        else:
            raise AssertionError(op)
    return hit != negate


def _reads(items, ch: str, lookaheads: list) -> bool:
    """Whether the items can consume `ch`; the lookaheads met are collected, anchors fail."""
    from re import _constants as c

    out = False
    for op, av in items:
        if op is c.LITERAL:
            out |= chr(av) == ch
        elif op is c.NOT_LITERAL:
            out |= chr(av) != ch
        elif op is c.ANY:
            out |= ch != "\n"
        elif op is c.IN:
            out |= _in_class(av, ch)
        elif op is c.SUBPATTERN:
            out |= _reads(av[3], ch, lookaheads)
        elif op is c.BRANCH:
            out |= any([_reads(alt, ch, lookaheads) for alt in av[1]])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            out |= _reads(av[2], ch, lookaheads)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if av[0] == 1:
                lookaheads.append(av[1])
            _reads(av[1], ch, lookaheads)  # a lookbehind reads before the piece: never cut
        else:
            raise AssertionError(f"{op}: the sentence pieces are not checked for it")
    return out


def test_no_rule_reads_past_a_sentence_end():
    """find_times cuts lines at sentence ends: no rule may consume one, and a lookahead that
    may read one reads no further than timex._LOOKAHEAD_PAST_END characters from it."""
    from re import _parser

    from extractor import timex

    for rx, build, needs in timex._RULES:
        for ch in timex.SENTENCE_ENDS:
            lookaheads: list = []
            assert not _reads(_parser.parse(rx.pattern), ch, lookaheads), (build.__name__, ch)
            for body in lookaheads:
                if _reads(body, ch, []):
                    assert body.getwidth()[1] <= timex._LOOKAHEAD_PAST_END, (build.__name__, ch)
        assert not any(ch in lit for group in needs for lit in group for ch in timex.SENTENCE_ENDS + "\n")


def _by_lines(text: str) -> list:
    """find_times as it was: every rule over every whole line (no pieces, no triggers)."""
    from extractor import timex

    found = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        for rx, build, _ in timex._RULES:
            for m in rx.finditer(text, line_start, line_end):
                fields = build(m) if m.end() > m.start() else None
                if fields:
                    a, b = m.start(), m.end()
                    while b > a and text[b - 1] in " \t":
                        b -= 1
                    found.append((a, b, fields))
        line_start = line_end + 1
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken, covered = [], bytearray(len(text) + 1)
    for a, b, fields in found:
        if not any(covered[a:b]):
            covered[a:b] = b"\x01" * (b - a)
            taken.append((a, b, fields))
    taken.sort(key=lambda f: f[0])
    return [timex._make(text[a:b], a, b, fields) for a, b, fields in timex._compose(text, taken)]


_TIME_WORDS = ["每学期", "开展", "一次", "每周三下午", "9月1日", "开学", "半天", "3天", "]", "每月", "1次", "2次", "第3周",
               "2023年", "9月", "10月上旬", "期末", "寒假", "每两周", "至少1节", "8.26", "（周三）", "9.1-9.7", "至", "10月",
               "周", "学年", "2021—2022", "第一学期", "不少于30天", "。", "；", ";", "！", "？", "!", "?", "\n", " ", "，"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TIME_WORDS), max_size=30).map("".join))
@example("开展3天。]每周三下午；9.1-9.7。")  # _days reads the sentence end and the character after it
@example("至少1节；每月1次!第3周？2023年9月。")
def test_sentence_pieces_find_what_whole_lines_find(text):
    assert [dump(t) for t in find_times(text)] == [dump(t) for t in _by_lines(text)]
