{#- Reply normalisation of kpis.md (reply parsing, step 3) in portable SQL: NFKC for the
    characters SMS replies carry (full-width U+FF01..U+FF5E to ASCII by the 0xFEE0 offset,
    circled digits 1..9 to ASCII digits), white space removed (ASCII, the no-break space
    U+00A0 and the ideographic space U+3000), Latin letters upper-cased.
    translate() deletes the characters of its second argument that have no counterpart in
    the third: that removes the white space in the same pass. chr() is used only below 128,
    where Spark's chr() agrees. The full-width apostrophe and backslash are left as they
    are: they would need engine-specific escaping, and no parsing rule looks at punctuation. -#}
{% macro normalize_reply_text(expr) -%}
    upper(translate(
        {{ expr }},
        '！＂＃＄％＆（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～①②③④⑤⑥⑦⑧⑨ 　'
        || chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13),
        '!"#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~123456789'
    ))
{%- endmacro %}
