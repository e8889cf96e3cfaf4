"""Text normalisation for comparing Chinese titles and numbers the way a person reads them.

Full-width and half-width forms, traditional and simplified characters, and the many book-title
and year brackets clerks type are folded to one form. The raw text is always kept elsewhere; these
functions only build comparison keys.
"""

from __future__ import annotations

import re
import unicodedata

# Traditional -> simplified for the characters that occur in issuers, document numbers and the
# titles of rules and policies. A full converter (OpenCC) is not needed for matching these.
_TRAD = (
    "號号 發发 國国 辦办 廳厅 縣县 區区 財财 農农 衛卫 務务 規规 聯联 電电 會会 書书 長长 門门 關关"
    " 於于 為为 實实 進进 與与 產产 廣广 東东 濟济 監监 條条 經经 環环 護护 設设 質质 機机 構构 體体"
    " 劃划 組组 織织 處处 險险 員员 團团 證证 據据 許许 時时 間间 價价 額额 稅税 網网 態态 業业 資资"
    " 應应 勞劳 動动 醫医 療疗 藥药 學学 檔档 項项 標标 準准 範范 審审 計计 統统 總总 開开 個个 見见"
    " 報报 獎奖 將将 對对 導导 畫画 華华 際际 運运 輸输 車车 鐵铁 橋桥 礦矿 氣气 災灾 廢废 執执 決决"
    " 議议 義义 認认 請请 論论 訂订 調调 紀纪 錄录 戶户 鄉乡 鎮镇 廠厂 場场 圖图 館馆 師师 齊齐 園园"
    " 綠绿 護护 漁渔 鹽盐 礎础 轉转 倉仓 儲储 糧粮 貿贸 稅税 銀银 險险 幣币 幹干 點点 龍龙 陽阳 貴贵"
    " 臺台 灣湾 蘇苏 滬沪 遼辽 黑黑 吉吉 寧宁 陝陕 晉晋 魯鲁 豫豫 湘湘 粵粤 瓊琼 閩闽 贛赣 雲云 慶庆"
    " 溫温 紹绍 嚴严 禁禁 辭辞 職职 稱称 種种 權权 勵励 歸归 類类 屬属 驗验 檢检 測测 節节 約约 線线"
    " 級级 傳传 聲声 衝冲 擊击 災灾 難难 氣气 燈灯 熱热 煙烟 廈厦 寶宝 鄭郑 蘭兰 烏乌 魯鲁 邊边 遷迁"
    " 適适 遞递 選选 遺遗 郵邮 鄰邻 釋释 鑒鉴 閱阅 隊队 隨随 險险 雜杂 離离 靜静 韓韩 頁页 頒颁 領领"
    " 頭头 題题 顧顾 風风 飛飞 養养 馬马 駐驻 髮发 魚鱼 鳥鸟 麥麦 黨党 齡龄 協协 單单 嚴严 圍围 壓压"
    " 壞坏 夠够 奪夺 婦妇 學学 寫写 尋寻 屆届 嶺岭 幾几 廟庙 廳厅 弔吊 強强 彈弹 從从 復复 徵征 徹彻"
    " 憲宪 懲惩 戰战 擔担 據据 擬拟 擴扩 攝摄 敗败 數数 斷断 舊旧 暫暂 曆历 書书 極极 樓楼 樣样 橫横"
    " 歷历 殘残 毀毁 氫氢 決决 沒没 災灾 無无 爭争 狀状 獨独 現现 瑪玛 畢毕 異异 療疗 盡尽 碼码 礙碍"
    " 禮礼 穩稳 窮穷 競竞 築筑 簡简 籌筹 糾纠 紅红 級级 細细 終终 給给 絡络 絕绝 統统 絲丝 維维 綜综"
    " 緊紧 編编 緣缘 練练 縮缩 績绩 總总 繼继 續续 罰罚 罷罢 聘聘 腦脑 與与 舉举 艦舰 藝艺 處处 蟲虫"
    " 補补 裝装 裡里 覽览 觀观 規规 視视 親亲 覺觉 計计 討讨 訊讯 託托 記记 訟讼 訪访 設设 診诊 評评"
    " 詞词 試试 詳详 誠诚 誤误 說说 課课 誰谁 調调 談谈 諮咨 謀谋 講讲 謝谢 證证 識识 譯译 護护 讀读"
    " 變变 讓让 豐丰 貧贫 責责 貨货 販贩 貫贯 費费 貸贷 貼贴 賠赔 賦赋 購购 賽赛 贈赠 趨趋 跡迹 蹤踪"
    " 較较 載载 辦办 遠远 適适 還还 邊边 鄉乡 酬酬 醫医 釐厘 針针 鋼钢 錢钱 錯错 鍋锅 鏈链 鑑鉴 閉闭"
    " 閒闲 閘闸 開开 閩闽 闆板 闡阐 陸陆 陰阴 隱隐 雙双 雞鸡 電电 霧雾 韌韧 預预 頻频 顯显 飲饮 飯饭"
    " 館馆 駕驾 騎骑 體体 鬥斗 鹵卤 麗丽 黃黄 齒齿 龜龟"
)
_TRAD_TABLE = str.maketrans({pair[0]: pair[1] for pair in _TRAD.split()})
TRADITIONAL = "".join(pair[0] for pair in _TRAD.split() if pair[0] != pair[1])

# Every bracket a clerk or a website uses around a year or a qualifier, folded to ASCII.
_OPEN_BRACKETS = "〔［[【﹝〖(（｛{"
_CLOSE_BRACKETS = "〕］]】﹞〗)）｝}"
_BRACKET_TABLE = str.maketrans(
    {**dict.fromkeys(_OPEN_BRACKETS, "("), **dict.fromkeys(_CLOSE_BRACKETS, ")")}
)

# Book-title marks: 《》 and the stand-ins people type for them, including the inner 〈〉.
_BOOK_OPEN = "《〈<＜"
_BOOK_CLOSE = "》〉>＞"
_BOOK_TABLE = str.maketrans({**dict.fromkeys(_BOOK_OPEN, "《"), **dict.fromkeys(_BOOK_CLOSE, "》")})

_SPACE = re.compile(r"\s+")
# Chinese numeric zero written as 〇, ○, the digit 0 or the letter O is handled in dates.py.


def to_simplified(text: str) -> str:
    """Map the traditional characters of our table to simplified ones (國發 -> 国发)."""
    return text.translate(_TRAD_TABLE)


def fold(text: str) -> str:
    """NFKC, simplified characters, no white space: the base of every comparison key.

    NFKC turns full-width digits, letters and （）：； into their ASCII forms, and the small
    tortoise-shell brackets ﹝﹞ into 〔〕.
    """
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", to_simplified(text))


def fold_brackets(text: str) -> str:
    """Fold every year/qualifier bracket (〔〕[]（）【】﹝﹞〖〗) to ASCII parentheses."""
    return text.translate(_BRACKET_TABLE)


def fold_book_marks(text: str) -> str:
    """Fold 〈〉 <> ＜＞ to 《》."""
    return text.translate(_BOOK_TABLE)


_WRAPPER = re.compile(
    r"""
    关于(?:印发|转发|发布|公布|颁发|颁布|修订|修改)   # the verb of the wrapper notice
    (?:《(?P<core>[^《》]+)》|(?P<bare>[^《》]+?))     # the inner title, with or without marks
    (?:的)?(?:通知|决定|通告|公告|意见|批复)$          # the kind of wrapper
    """,
    re.VERBOSE,
)


def title_core(title: str) -> str:
    """The inner title people search for and cite.

    `关于印发《温州市X办法》的通知` -> `温州市X办法`; `《山东省信访规定》` -> `山东省信访规定`.
    Book-title marks may be 《》, 〈〉, <>, ＜＞ or absent. White space is dropped and
    full-width punctuation kept as NFKC gives it, so the result is also readable.
    """
    text = fold_book_marks(unicodedata.normalize("NFKC", title)).strip()
    text = _SPACE.sub("", text)
    # Unwrap marks that enclose the whole title, possibly several times (《《X》》).
    while text.startswith("《") and text.endswith("》") and _balanced(text[1:-1]):
        text = text[1:-1]
    match = _WRAPPER.search(text)
    if match:
        inner = match.group("core") or match.group("bare")
        if inner:
            text = inner
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "《":
            depth += 1
        elif char == "》":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def title_key(title: str) -> str:
    """Comparison key of a title: its core, folded, with brackets and marks unified."""
    return fold_brackets(fold(title_core(title))).replace("《", "").replace("》", "")
