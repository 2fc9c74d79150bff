<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChoiceTabs</name>
    <message>
        <location filename="../../app/ui/widgets/choices.py" line="+29"/>
        <source>Completions</source>
        <translation>补全结果</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Choice %1</source>
        <translation>候选 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use this choice</source>
        <translation>使用此候选</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Put this text into the editor as the run&apos;s output</source>
        <translation>将此文本放入编辑器，作为本次运行的输出</translation>
    </message>
</context>
<context>
    <name>CodeDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/code.py" line="+35"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The key is read from the environment variable %1; it is never part of the code.</source>
        <translation>密钥从环境变量 %1 读取，绝不会出现在代码中。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy the code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>Compare</name>
    <message>
        <location filename="../../app/ui/compare/figures.py" line="+52"/>
        <source>first token %1</source>
        <translation>首 token %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 tok/s</source>
        <translation>%1 token/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>total %1</source>
        <translation>总耗时 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>≈%1 tokens so far</source>
        <translation>目前约 %1 个 token</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>≈%1 tokens (estimated)</source>
        <translation>约 %1 个 token（估算）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>finish: %1</source>
        <translation>结束原因：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cost %1</source>
        <translation>费用 %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>streaming…</source>
        <translation>正在接收…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped — the text received is kept</source>
        <translation>已停止——已收到的文本会保留</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>first token (min / median / max): %1</source>
        <translation>首 token（最小 / 中位 / 最大）：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>tok/s (min / median / max): %1</source>
        <translation>token/s（最小 / 中位 / 最大）：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 runs failed</source>
        <translation>%2 次运行中有 %1 次失败</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>shared settings</source>
        <translation>共用设置</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>top_p</source>
        <translation>top_p</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max_tokens</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>presence_penalty</source>
        <translation>存在惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>frequency_penalty</source>
        <translation>频率惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stop</source>
        <translation>停止序列</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Fastest stream: %1, %2 tok/s (%3× %4)</source>
        <translation>输出最快：%1，%2 token/s（是 %4 的 %3 倍）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>First token soonest: %1, %2 (%3 sooner than %4)</source>
        <translation>首 token 最早：%1，%2（比 %4 早 %3）</translation>
    </message>
</context>
<context>
    <name>CompareColumn</name>
    <message>
        <location filename="../../app/ui/compare/column.py" line="+75"/>
        <source>Column %1</source>
        <extracomment>The parameters a column can set itself (the rest come from the shared settings).</extracomment>
        <translation>第 %1 列</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Column name</source>
        <translation>列名</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit this column&apos;s provider, model and own settings</source>
        <translation>编辑此列的服务商、模型和专属设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Column settings</source>
        <translation>列设置</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Move left</source>
        <translation>左移</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Move right</source>
        <translation>右移</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Duplicate</source>
        <translation>复制此列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This column&apos;s own settings</source>
        <translation>此列的专属设置</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+3"/>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+6"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Own setting…</source>
        <translation>专属设置…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Give this column its own setting</source>
        <translation>为此列单独设置一个参数</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Price per 1M prompt tokens</source>
        <translation>每百万提示 token 价格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Price per 1M completion tokens</source>
        <translation>每百万补全 token 价格</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multiplier (倍率)</source>
        <translation>倍率</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Price / 1M, ×</source>
        <translation>价格 / 百万，×</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Previous run</source>
        <translation>上一次运行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next run</source>
        <translation>下一次运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run shown</source>
        <translation>显示的运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Column state</source>
        <translation>列状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop this column</source>
        <translation>停止此列</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Figures</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Spread over the repeats</source>
        <translation>多次运行的分布</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Output of column %1</source>
        <translation>第 %1 列的输出</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Custom URL</source>
        <translation>自定义 URL</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>shared: %1</source>
        <translation>共用：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>no provider</source>
        <translation>无服务商</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Use the shared %1</source>
        <translation>使用共用的%1</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>run %1/%2</source>
        <translation>第 %1/%2 次</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
</context>
<context>
    <name>CompareController</name>
    <message>
        <location filename="../../app/ui/compare/controller.py" line="+135"/>
        <source>a comparison has %1 to %2 columns, not %3</source>
        <translation>对比需要 %1 到 %2 列，而不是 %3 列</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>two columns are called %1</source>
        <translation>有两列都叫 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: choose a provider or enter a base URL</source>
        <translation>%1：请选择服务商或填写基础 URL</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: there is no provider called %2</source>
        <translation>%1：没有名为 %2 的服务商</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>starting up…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+172"/>
        <source>Cannot run the comparison: </source>
        <translation>无法运行对比：</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>The comparison stopped on an unexpected error</source>
        <translation>对比因意外错误而停止</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Comparison saved as %1</source>
        <translation>对比已保存为 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The comparison could not be saved: %1</source>
        <translation>无法保存对比：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The comparison %1 could not be read</source>
        <translation>无法读取对比 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opened the comparison %1</source>
        <translation>已打开对比 %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The export could not be written: %1</source>
        <translation>无法写入导出文件：%1</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The comparison could not be autosaved: %1</source>
        <translation>无法自动保存对比：%1</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../app/ui/compare/view.py" line="+68"/>
        <source>Run all</source>
        <translation>全部运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+210"/>
        <source>Run every column (Ctrl+Enter)</source>
        <translation>运行所有列 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="-206"/>
        <source>Stop all</source>
        <translation>全部停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop every column (Esc)</source>
        <translation>停止所有列 (Esc)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add column</source>
        <translation>添加列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a column (2 to 8)</source>
        <translation>添加一列（2 到 8 列）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Repeat ×</source>
        <translation>重复 ×</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Repeat each column</source>
        <translation>每列重复次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run every column this many times and show the spread</source>
        <translation>每列运行这么多次，并显示结果的分布</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>How repeats run</source>
        <translation>重复的运行方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>one after another</source>
        <translation>依次运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all at once</source>
        <translation>同时运行</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Diff…</source>
        <translation>差异…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>See where two outputs differ</source>
        <translation>查看两个输出的不同之处</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save this comparison by name</source>
        <translation>按名称保存此对比</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a saved comparison</source>
        <translation>打开已保存的对比</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export the results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Markdown…</source>
        <translation>Markdown…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Prompt for every column</source>
        <translation>所有列共用的提示词</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The prompt every column is sent</source>
        <translation>发送给每一列的提示词</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Who was faster</source>
        <translation>谁更快</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Cannot run the comparison: </source>
        <translation>无法运行对比：</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Run the comparison first: there are no two outputs to compare</source>
        <translation>请先运行对比：还没有两个可比较的输出</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 · run %2</source>
        <translation>%1 · 第 %2 次</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Save comparison</source>
        <translation>保存对比</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 cannot be a comparison&apos;s name: it becomes a file name (no / \ : * ? &quot; &lt; &gt; |, no leading dot or spaces)</source>
        <translation>%1 不能用作对比名称：名称会成为文件名（不能含 / \ : * ? &quot; &lt; &gt; |，不能以点或空格开头）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Run the comparison first: there are no results to export</source>
        <translation>请先运行对比：还没有可导出的结果</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export the comparison</source>
        <translation>导出对比</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cannot run:</source>
        <translation>无法运行：</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No saved comparisons yet</source>
        <translation>还没有保存的对比</translation>
    </message>
</context>
<context>
    <name>ConnectionBar</name>
    <message>
        <location filename="../../app/ui/widgets/connection.py" line="+62"/>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Manage providers</source>
        <translation>管理服务商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Providers…</source>
        <translation>服务商…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>API key (this session only)</source>
        <translation>API 密钥（仅本次会话）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the API key</source>
        <translation>显示 API 密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Request URL</source>
        <translation>请求 URL</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Custom (this session)</source>
        <translation>自定义（本次会话）</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>API key (kept for this session only)</source>
        <translation>API 密钥（仅在本次会话中保留）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The URL of %1: change it under Providers…</source>
        <translation>%1 的 URL：请在“提供商…”中修改</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type a key and press Enter to store it for %1</source>
        <translation>输入密钥并按回车，为 %1 保存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>key from $%1</source>
        <translation>密钥取自 $%1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>key from the system keyring</source>
        <translation>密钥取自系统密钥环</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>key kept for this session only (no system keyring)</source>
        <translation>密钥仅在本次会话中保留（没有系统钥匙串）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the system keyring refused to give the key</source>
        <translation>系统钥匙串拒绝提供密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no key stored: type one and press Enter</source>
        <translation>未保存密钥：输入后按回车</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>→ (no base URL)</source>
        <translation>→（未填写基础 URL）</translation>
    </message>
</context>
<context>
    <name>ConnectionController</name>
    <message>
        <location filename="../../app/ui/connection_ctl.py" line="+82"/>
        <source>Could not list models: </source>
        <translation>无法获取模型列表：</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The provider list</source>
        <translation>提供商列表</translation>
    </message>
</context>
<context>
    <name>ConnectionTest</name>
    <message>
        <location filename="../../app/ui/dialogs/provider_test.py" line="+98"/>
        <source>Testing… GET %1</source>
        <translation>正在测试… GET %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter a default model to also try a one-token completion.</source>
        <translation>填写默认模型，即可同时尝试一次单 token 补全。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trying a one-token completion with %1… POST %2</source>
        <translation>正在用 %1 尝试单 token 补全… POST %2</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>✓ Connected: %n model(s) available.</source>
        <translation>
            <numerusform>✓ 已连接：有 %n 个可用模型。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The default model %1 is not in this list.</source>
        <translation>默认模型 %1 不在此列表中。</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+16"/>
        <source>URL: </source>
        <translation>URL：</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>✓ %1 answered a one-token completion.</source>
        <translation>✓ %1 完成了一次单 token 补全。</translation>
    </message>
</context>
<context>
    <name>DiffDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/diff.py" line="+147"/>
        <source>Diff</source>
        <extracomment>An unchanged run between two changes that is only blanks (no line break): the two changes are shown as one (&quot;quick brown&quot; rather than &quot;quick&quot;, &quot; &quot;, &quot;brown&quot;).</extracomment>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Differences between two outputs</source>
        <translation>两个输出之间的差异</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Left output</source>
        <translation>左侧输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Right output</source>
        <translation>右侧输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Left:</source>
        <translation>左侧(&amp;L)：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Right:</source>
        <translation>右侧(&amp;R)：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>⇄ Swap</source>
        <translation>⇄ 交换</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Swap the left and right outputs</source>
        <translation>交换左右两侧的输出</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Left output text</source>
        <translation>左侧输出文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text only in the left output is highlighted</source>
        <translation>高亮显示只出现在左侧输出中的文本</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Right output text</source>
        <translation>右侧输出文本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text only in the right output is highlighted</source>
        <translation>高亮显示只出现在右侧输出中的文本</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Diff summary</source>
        <translation>差异摘要</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Difference selected</source>
        <translation>选中的差异</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scroll &amp;together</source>
        <translation>同步滚动(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scroll both texts together</source>
        <translation>两侧文本同步滚动</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Previous difference (Shift+F7)</source>
        <translation>上一处差异 (Shift+F7)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next difference</source>
        <translation>下一处差异</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next difference (F7)</source>
        <translation>下一处差异 (F7)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Close the diff</source>
        <translation>关闭差异</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>There are no outputs to compare.</source>
        <translation>没有可比较的输出。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The outputs could not be compared: %1</source>
        <translation>无法比较这两个输出：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Both outputs are empty.</source>
        <translation>两个输出都是空的。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The two outputs are the same.</source>
        <translation>两个输出完全相同。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The left output is empty.</source>
        <translation>左侧输出是空的。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The right output is empty.</source>
        <translation>右侧输出是空的。</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n word(s) differ</source>
        <translation>
            <numerusform>%n 个词（字）不同</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only spaces and line breaks differ</source>
        <translation>只有空格和换行不同</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1% the same</source>
        <translation>%1% 相同</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Difference %1 of %2</source>
        <translation>第 %1 处差异，共 %2 处</translation>
    </message>
</context>
<context>
    <name>ErrorBar</name>
    <message>
        <location filename="../../app/ui/widgets/error_bar.py" line="+14"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Dismiss the error</source>
        <translation>关闭错误提示</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../app/ui/widgets/history.py" line="+46"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Search the history</source>
        <translation>搜索历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search prompts, outputs, models…</source>
        <translation>搜索提示词、输出、模型…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✓ finished · ✗ failed · ■ stopped</source>
        <translation>✓ 已完成 · ✗ 失败 · ■ 已停止</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What the marks mean</source>
        <translation>标记的含义</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The selected run&apos;s prompt and output</source>
        <translation>所选运行的提示词和输出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select a run to read its prompt and output</source>
        <translation>选择一次运行以查看其提示词和输出</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restore the selected run</source>
        <translation>恢复所选的运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Put this run&apos;s prompt, output and parameters back (Undo brings the current text back)</source>
        <translation>恢复这次运行的提示词、输出和参数（撤销可找回当前文本）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>— output —</source>
        <translation>— 输出 —</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>— choice %1 —</source>
        <translation>— 候选 %1 —</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>— error —</source>
        <translation>— 错误 —</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Delete run</source>
        <translation>删除运行记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete this run from the history?</source>
        <translation>从历史中删除这次运行？</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>Delete the selected run</source>
        <translation>删除所选的运行</translation>
    </message>
</context>
<context>
    <name>KeyringNotice</name>
    <message>
        <location filename="../../app/ui/dialogs/provider_form.py" line="+94"/>
        <source>Looking for the system keyring…</source>
        <translation>正在查找系统钥匙串…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyring status</source>
        <translation>密钥环状态</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>API keys are kept in the system keyring (service &quot;Promptpad&quot;), never in files.</source>
        <translation>API 密钥保存在系统密钥环中（服务名“Promptpad”），从不写入文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>stored in the system keyring</source>
        <translation>保存在系统密钥环中</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No system keyring was found on this machine. Keys you enter are kept for this session only and are forgotten when Promptpad closes; nothing is written to disk. Alternatively, name an environment variable that holds the key.</source>
        <translation>本机未找到系统密钥环。您输入的密钥仅在本次会话中保留，Promptpad 关闭后即被清除，不会写入磁盘。也可以改为填写一个保存密钥的环境变量名。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>kept for this session only (no system keyring)</source>
        <translation>仅在本次会话中保留（没有系统钥匙串）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="+72"/>
        <source>Promptpad</source>
        <translation>Promptpad</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="+70"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="+63"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="+195"/>
        <location filename="../../app/ui/window_layout.py" line="+1"/>
        <source>Run (Ctrl+Enter)</source>
        <translation>运行 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="+4"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop (Esc)</source>
        <translation>停止 (Esc)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Generate more from the end (Ctrl+Shift+Enter)</source>
        <translation>从文本末尾继续生成（Ctrl+Shift+Enter）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Replace the last completion (Ctrl+R)</source>
        <translation>用新的补全替换上一次的补全（Ctrl+R）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The text as it was before the last run (Ctrl+Alt+Z)</source>
        <translation>恢复到上一次运行之前的文本（Ctrl+Alt+Z）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bring back what Undo took away (Ctrl+Alt+Shift+Z)</source>
        <translation>找回被撤销的内容（Ctrl+Alt+Shift+Z）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This request as curl, Python or JavaScript</source>
        <translation>将此请求导出为 curl、Python 或 JavaScript 代码</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Prompt length</source>
        <translation>提示词长度</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Playground</source>
        <translation>试验场</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One prompt, several providers, models and settings at once</source>
        <translation>同一个提示词，同时发给多个服务商、模型和设置</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Run status</source>
        <translation>运行状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="-42"/>
        <source>enter the server&apos;s base URL</source>
        <translation>请输入服务器的基础 URL</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+16"/>
        <source>starting up…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Cannot run:</source>
        <translation>无法运行：</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Cannot run: </source>
        <translation>无法运行：</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>Cannot show the code: </source>
        <translation>无法显示代码：</translation>
    </message>
    <message numerus="yes">
        <location line="+88"/>
        <source>%n model(s) available</source>
        <translation>
            <numerusform>有 %n 个可用模型</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 chars · ≈%2 tokens</source>
        <translation>%1 个字符 · 约 %2 个 token</translation>
    </message>
    <message>
        <location filename="../../app/ui/messages.py" line="-47"/>
        <source>first token %1</source>
        <translation>首 token %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>total %1</source>
        <translation>总耗时 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 tok/s</source>
        <translation>%1 token/s</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>finish: %1</source>
        <translation>结束原因：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>tokens: %1 prompt / %2 completion / %3 total</source>
        <translation>token：提示 %1 / 补全 %2 / 总计 %3</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Authentication failed</source>
        <translation>认证失败</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rate limited</source>
        <translation>请求频率超限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server refused the request</source>
        <translation>服务器拒绝了请求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server error</source>
        <translation>服务器错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network error</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timed out</source>
        <translation>请求超时</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unexpected reply</source>
        <translation>无法识别的响应</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection settings</source>
        <translation>连接设置有误</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(the text received so far is kept)</source>
        <translation>（已收到的文本会保留）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>(retry after %1 s)</source>
        <translation>（%1 秒后重试）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>unreadable chunks skipped: %1 (some text was lost)</source>
        <translation>跳过了无法读取的数据块：%1 个（部分文本已丢失）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No API key was sent: none is stored for %1 (without a system keyring, keys last one session). Type it in the key field, or under Providers….</source>
        <translation>未发送 API 密钥：%1 没有保存密钥（没有系统钥匙串时，密钥只保留一个会话）。请在密钥栏中输入，或在“提供商…”中设置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No API key was sent: type one in the key field.</source>
        <translation>未发送 API 密钥：请在密钥栏中输入。</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../../app/ui/menus.py" line="+61"/>
        <location line="+29"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>&amp;Continue</source>
        <translation>继续(&amp;C)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Re&amp;generate</source>
        <translation>重新生成(&amp;G)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo the last run</source>
        <translation>撤销上一次运行(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo the run</source>
        <translation>重做运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>View &amp;code…</source>
        <translation>查看代码(&amp;C)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Providers…</source>
        <translation>服务商(&amp;P)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Monospace font</source>
        <translation>等宽字体(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Bigger text</source>
        <translation>放大文字(&amp;B)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Smaller text</source>
        <translation>缩小文字(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Promptpad</source>
        <translation>关于 Promptpad(&amp;A)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>About Promptpad</source>
        <translation>关于 Promptpad</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Promptpad %1</source>
        <translation>Promptpad %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A playground for OpenAI-compatible text-completion APIs: relays, OpenAI and local servers.</source>
        <translation>用于 OpenAI 兼容文本补全 API 的试验场：中转站、OpenAI 以及本地服务器。</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <location filename="../../app/ui/controllers.py" line="+301"/>
        <source>the network is not ready yet; try again</source>
        <translation>网络尚未就绪，请稍后重试</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../app/ui/widgets/notices.py" line="+23"/>
        <source>File notices</source>
        <translation>文件提示</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Dismiss the notices</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 could not be read (%2) nor moved aside. It is left as it is and will not be written: what you change now is not saved there.</source>
        <translation>无法读取 %1（%2），也无法将其移到一旁。该文件保持原样且不会被写入：您现在所做的更改不会保存到其中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Part of %1 could not be read (%2). The file as it was is kept at %3.</source>
        <translation>%1 的部分内容无法读取（%2）。文件原样保存在 %3。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 could not be read (%2). It was moved to %3 and a new one was started.</source>
        <translation>无法读取 %1（%2）。它已被移到 %3，并已新建一个文件。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The draft could not be saved (%1). Your text is only in this window: copy it somewhere safe before closing Promptpad.</source>
        <translation>无法保存草稿（%1）。您的文本只存在于此窗口中：请在关闭 Promptpad 之前将其复制到安全的地方。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 could not be saved (%2).</source>
        <translation>无法保存%1（%2）。</translation>
    </message>
</context>
<context>
    <name>NumberParam</name>
    <message>
        <location filename="../../app/ui/widgets/number_param.py" line="+103"/>
        <source>Reset %1 to default</source>
        <translation>将%1重置为默认值</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset to the default (%1): not sent</source>
        <translation>重置为默认值 (%1)：不发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 state</source>
        <translation>%1状态</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This value is sent with the request</source>
        <translation>此值会随请求发送</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>default · not sent</source>
        <translation>默认 · 不发送</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Left at the server&apos;s default: not sent</source>
        <translation>使用服务器的默认值：不发送</translation>
    </message>
</context>
<context>
    <name>ParamPanel</name>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+172"/>
        <location filename="../../app/ui/widgets/params.py" line="+87"/>
        <location line="+5"/>
        <source>Model</source>
        <extracomment>How far the Maximum length slider reaches when the server reports no context length (relays never do). Only the slider: the spin box takes any positive length.</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <source>model name</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fetch the model list (GET /v1/models)</source>
        <translation>获取模型列表 (GET /v1/models)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh models</source>
        <translation>刷新模型列表</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+2"/>
        <location filename="../../app/ui/widgets/params.py" line="+18"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Frequency penalty</source>
        <translation>频率惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+3"/>
        <source>Presence penalty</source>
        <translation>存在惩罚</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+8"/>
        <source>Maximum length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+24"/>
        <source>Maximum length warning</source>
        <translation>最大长度警告</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stream the text as it is generated</source>
        <translation>流式输出（边生成边显示）</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Stream</source>
        <translation>流式输出</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+3"/>
        <source>Completions (n)</source>
        <translation>补全数量 (n)</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+0"/>
        <location line="+4"/>
        <source>default (1)</source>
        <translation>默认 (1)</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <location line="+2"/>
        <source>Best of</source>
        <translation>Best of</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Log probabilities</source>
        <translation>对数概率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Logprobs</source>
        <translation>对数概率</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <source>Echo the prompt back</source>
        <translation>回显提示词</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <source>Echo</source>
        <translation>回显</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+3"/>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <location line="+1"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/param_fields.py" line="+73"/>
        <source>Stop sequences</source>
        <translation>停止序列</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/param_fields.py" line="+3"/>
        <source>Up to 4 sequences; escapes such as \n are shown and understood. Double-click to edit.</source>
        <translation>最多 4 个序列；\n 等转义符按原样显示并会被识别。双击可编辑。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>add a stop sequence, e.g. \n</source>
        <translation>添加，例如 \n</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New stop sequence</source>
        <translation>新的停止序列</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Add stop sequence</source>
        <translation>添加停止序列</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Remove stop sequence</source>
        <translation>删除停止序列</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+7"/>
        <source>Stop</source>
        <translation>停止序列</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>text after the completion (\n allowed)</source>
        <translation>补全之后的文本（可用 \n）</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <location line="+1"/>
        <source>Suffix</source>
        <translation>后缀</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Logit bias (JSON)</source>
        <translation>Logit 偏置 (JSON)</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+1"/>
        <source>Logit bias</source>
        <translation>Logit 偏置</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Extra JSON fields</source>
        <translation>额外 JSON 字段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Merged into the request body, for fields a particular server supports</source>
        <translation>合并到请求体中，用于特定服务器支持的字段</translation>
    </message>
    <message>
        <location filename="../../app/ui/problem_text.py" line="+1"/>
        <location filename="../../app/ui/widgets/params.py" line="+2"/>
        <source>Extra JSON</source>
        <translation>额外 JSON</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/params.py" line="+281"/>
        <source>More than this model&apos;s context (%1 tokens): the server may refuse the request or stop early.</source>
        <translation>超过了此模型的上下文长度（%1 个 token）：服务器可能拒绝请求或提前停止。</translation>
    </message>
</context>
<context>
    <name>PlaygroundSession</name>
    <message>
        <location filename="../../app/ui/session.py" line="+143"/>
        <source>Reading the key from the system keyring…</source>
        <translation>正在从系统密钥环读取密钥…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Cannot run: </source>
        <translation>无法运行：</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Stopped — the text received so far is kept.</source>
        <translation>已停止 — 已收到的文本会保留。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>PromptEdit</name>
    <message>
        <location filename="../../app/ui/widgets/output_tokens.py" line="+58"/>
        <source>(log probability %1)</source>
        <translation>（对数概率 %1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/editor.py" line="+37"/>
        <source>Prompt and completion</source>
        <translation>提示词与补全</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write a prompt, then press Ctrl+Enter.
Put [insert] where the model should write in between.</source>
        <translation>输入提示词，然后按 Ctrl+Enter。
在需要模型补写中间内容的位置放入 [insert]。</translation>
    </message>
</context>
<context>
    <name>ProviderDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/providers.py" line="+78"/>
        <location line="+34"/>
        <source>Providers</source>
        <translation>服务商</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add provider</source>
        <translation>添加服务商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Blank</source>
        <translation>空白</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate provider</source>
        <translation>复制服务商</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+311"/>
        <source>Delete provider</source>
        <translation>删除服务商</translation>
    </message>
    <message>
        <location line="-306"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+343"/>
        <source>Import providers</source>
        <translation>导入服务商</translation>
    </message>
    <message>
        <location line="-342"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export providers (without keys)</source>
        <translation>导出服务商（不含密钥）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Lists the models, and tries a one-token completion with the default model</source>
        <translation>列出模型，并用默认模型尝试一次单 token 补全</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model list test</source>
        <translation>模型列表测试</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completion test</source>
        <translation>补全测试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model list:</source>
        <translation>模型列表：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completion:</source>
        <translation>补全：</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+1"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save provider</source>
        <translation>保存服务商</translation>
    </message>
    <message>
        <location line="+150"/>
        <source>The key cannot be changed now: Save is off so that the stored key is kept.</source>
        <translation>现在无法修改密钥：“保存”已停用，以免丢失已保存的密钥。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Saved. The key is kept for this session only (no system keyring).</source>
        <translation>已保存。密钥仅在本次会话中保留（没有系统密钥环）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Saved.</source>
        <translation>✓ 已保存。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>New provider</source>
        <translation>新服务商</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Delete “%1”?</source>
        <translation>删除“%1”？</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its stored API key and proxy password are deleted too. This cannot be undone.</source>
        <translation>其保存的 API 密钥和代理密码也会一并删除。此操作无法撤销。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Export providers</source>
        <translation>导出服务商</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+10"/>
        <source>JSON (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Exported %n provider(s), without keys.</source>
        <translation>
            <numerusform>已导出 %n 个服务商（不含密钥）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProviderFormMixin</name>
    <message>
        <location filename="../../app/ui/dialogs/provider_form.py" line="+12"/>
        <location line="+55"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+55"/>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Full URL override</source>
        <translation>完整 URL（覆盖）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>optional: the exact completions URL</source>
        <translation>可选：补全接口的完整 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Request URL</source>
        <translation>请求 URL</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+50"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Key environment variable</source>
        <translation>密钥环境变量</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional, e.g. OPENAI_API_KEY</source>
        <translation>可选，例如 OPENAI_API_KEY</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+47"/>
        <source>Key header</source>
        <translation>密钥请求头</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Authorization: Bearer (default)</source>
        <translation>Authorization: Bearer（默认）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>For servers that want the key in another header, e.g. api-key</source>
        <translation>供要求在其他请求头中携带密钥的服务使用，例如 api-key</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+43"/>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>Test connection also tries a one-token completion with this model</source>
        <translation>“测试连接”也会用此模型尝试一次单 token 补全</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Extra headers</source>
        <translation>额外请求头</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+38"/>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <location line="-36"/>
        <location line="+37"/>
        <source>Proxy user</source>
        <translation>代理用户名</translation>
    </message>
    <message>
        <location line="-36"/>
        <location line="+37"/>
        <source>Proxy password</source>
        <translation>代理密码</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+36"/>
        <source>Connect timeout</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <location line="-34"/>
        <location line="+35"/>
        <source>Read timeout</source>
        <translation>读取超时</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+2"/>
        <source>Verify TLS certificates</source>
        <translation>验证 TLS 证书</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+25"/>
        <location line="+80"/>
        <source>CA bundle</source>
        <translation>CA 证书包</translation>
    </message>
    <message>
        <location line="-104"/>
        <source>optional PEM file</source>
        <translation>可选的 PEM 文件</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+19"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Full URL</source>
        <translation>完整 URL</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>…or from variable</source>
        <translation>…或取自环境变量</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>PEM files (*.pem *.crt);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <location filename="../../app/ui/controllers.py" line="-130"/>
        <source>unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the run ended without a result</source>
        <translation>运行已结束，但没有得到结果</translation>
    </message>
</context>
<context>
    <name>RunRecorder</name>
    <message>
        <location filename="../../app/ui/recorder.py" line="+93"/>
        <source>The run history could not be read; the file was moved to %1 and a new history was started.</source>
        <translation>无法读取运行历史；该文件已移至 %1，并已新建历史记录。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The run history cannot be read: %1</source>
        <translation>无法读取运行历史：%1</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>A run could not be saved to the history: %1</source>
        <translation>一次运行无法保存到历史：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The run history is locked by another program; the run is kept and will be saved when the history is free.</source>
        <translation>运行历史被另一个程序锁定；本次运行已保留，将在历史可用时保存。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The run could not be saved to the history (%1); it is kept and will be saved later.</source>
        <translation>本次运行无法保存到历史（%1）；已保留，稍后再保存。</translation>
    </message>
</context>
<context>
    <name>SecretEdit</name>
    <message>
        <location filename="../../app/ui/dialogs/provider_form.py" line="-217"/>
        <source>Show %1</source>
        <translation>显示%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>TimelineChart</name>
    <message>
        <location filename="../../app/ui/widgets/timeline.py" line="+184"/>
        <source>Tokens received over time</source>
        <translation>随时间收到的 token</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Lines for: %1</source>
        <translation>曲线：%1</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Run the comparison to see tokens over time</source>
        <translation>运行对比后，这里显示随时间收到的 token</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>milliseconds</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>tokens (chunks received)</source>
        <translation>token（收到的块数）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>+%1 more</source>
        <translation>另有 %1 项</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../app/ui/widgets/welcome.py" line="+61"/>
        <source>Getting started</source>
        <translation>入门</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Where should your prompts go?</source>
        <translation>提示词要发往哪里？</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hosted</source>
        <translation>云服务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relay services (中转站)</source>
        <translation>中转站</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On this computer</source>
        <translation>本机服务器</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Type its base URL</source>
        <translation>输入其基础 URL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a server&apos;s base URL</source>
        <translation>输入服务器的基础 URL</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any server that speaks POST /v1/completions: type its base URL above</source>
        <translation>任何支持 POST /v1/completions 的服务器：在上方输入其基础 URL</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Another server</source>
        <translation>其他服务器</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>API key: the provider manager asks for it. Promptpad keeps it in the system keyring, never in a file; without a keyring, for this session only. Local servers usually need none. More providers: Providers… above.</source>
        <translation>API 密钥：服务商管理器会请您填写。Promptpad 将其保存在系统密钥环中，从不写入文件；若没有密钥环，则仅在本次会话中保留。本地服务器通常不需要密钥。更多服务商：上方的“服务商…”。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add %1 (%2) and enter its key</source>
        <translation>添加 %1（%2）并输入其密钥</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../app/ui/app.py" line="+108"/>
        <source>Something went wrong:</source>
        <translation>出错了：</translation>
    </message>
</context>
<context>
    <name>error</name>
    <message>
        <location filename="../../app/ui/error_text.py" line="+26"/>
        <source>the API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the proxy URL</source>
        <translation>代理 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the completions URL</source>
        <translation>补全 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the port is out of range</source>
        <translation>端口超出范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it is malformed</source>
        <translation>格式不正确</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>http(s) or socks5</source>
        <translation>http(s) 或 socks5</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty body</source>
        <translation>空内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connecting</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting for data</source>
        <translation>等待数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an invisible character</source>
        <translation>一个不可见字符</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a character</source>
        <translation>一个字符</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>timed out while %1</source>
        <translation>%1超时</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no complete response head within %1 s (connect timeout + read timeout)</source>
        <translation>%1 秒内未收到完整的响应头（连接超时 + 读取超时）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>could not connect</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>could not connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the connection broke off: %1</source>
        <translation>连接中断：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the proxy refused: %1</source>
        <translation>代理拒绝：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the proxy refused the credentials: %1</source>
        <translation>代理拒绝了凭据：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>could not decode the reply: %1</source>
        <translation>无法解码回复：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot load the CA bundle %1: %2</source>
        <translation>无法加载 CA 证书包 %1：%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unusable proxy %1: %2</source>
        <translation>无法使用的代理 %1：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>this HTTP client cannot apply per-call proxy or TLS settings</source>
        <translation>此 HTTP 客户端无法按请求应用代理或 TLS 设置</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the reply is not JSON: %1</source>
        <translation>回复不是 JSON：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the reply is not a JSON object</source>
        <translation>回复不是 JSON 对象</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the server ended the stream without sending any event</source>
        <translation>服务器未发送任何事件就结束了流</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the server reported an error</source>
        <translation>服务器报告了一个错误</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the models list has no &apos;data&apos; array</source>
        <translation>模型列表中没有 “data” 数组</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the model object has no &apos;id&apos;</source>
        <translation>模型对象没有 “id”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a line longer than %1 bytes</source>
        <translation>一行超过 %1 字节</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>an event larger than %1 bytes</source>
        <translation>一个事件超过 %1 字节</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>complete() is for non-streamed requests; use stream()</source>
        <translation>complete() 用于非流式请求；请使用 stream()</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the header name is empty</source>
        <translation>请求头名称为空</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the base URL is empty</source>
        <translation>基础 URL 为空</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 cannot be used, %2: %3</source>
        <translation>%1 无法使用，%2：%3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not an %1 URL: %2</source>
        <translation>不是 %1 URL：%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 has no host: %2</source>
        <translation>%1 没有主机名：%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the completions URL must be a full URL: %1</source>
        <translation>补全 URL 必须是完整的 URL：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>key header: %1</source>
        <translation>密钥请求头：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>header %1: the value contains %2</source>
        <translation>请求头 %1：其值包含%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 is not a valid header name (letters, digits and %2 only)</source>
        <translation>%1 不是有效的请求头名称（只能包含字母、数字和 %2）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 contains %2; copy it again or retype it</source>
        <translation>%1包含%2；请重新复制或重新输入</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a control character (%1)</source>
        <translation>一个控制字符（%1）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 outside ASCII (%2), which HTTP headers cannot carry</source>
        <translation>%1不在 ASCII 范围内（%2），HTTP 请求头无法携带</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a provider must be a JSON object</source>
        <translation>服务商必须是一个 JSON 对象</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a provider needs a name</source>
        <translation>服务商需要一个名称</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>provider %1 has no base URL</source>
        <translation>服务商 %1 没有基础 URL</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot read the provider templates from %1</source>
        <translation>无法从 %1 读取服务商模板</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot save the profiles to %1: %2</source>
        <translation>无法将配置保存到 %1：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>there is already a provider called %1</source>
        <translation>已有名为 %1 的服务商</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no provider called %1</source>
        <translation>没有名为 %1 的服务商</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the system keyring refused to give the key: %1</source>
        <translation>系统密钥环拒绝提供密钥：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 holds no &apos;providers&apos; list</source>
        <translation>%1 中没有 “providers” 列表</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>keys</name>
    <message>
        <location filename="../../app/ui/keys.py" line="+77"/>
        <source>the system keyring has not been read yet</source>
        <translation>尚未读取系统密钥环</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The system keyring did not store the key for %1 (%2); it is kept for this session only.</source>
        <translation>系统密钥环未能保存 %1 的密钥（%2）；该密钥仅在本次会话中保留。</translation>
    </message>
</context>
<context>
    <name>problem</name>
    <message>
        <location filename="../../app/ui/problem_text.py" line="-155"/>
        <source>a model name is required</source>
        <translation>需要填写模型名称</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must be text, a list of texts, a list of token ids, or a list of token-id lists</source>
        <translation>必须是文本、文本列表、token ID 列表或 token ID 列表的列表</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be text</source>
        <translation>必须是文本</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>must be true or false</source>
        <translation>必须是 true 或 false</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must be a whole number</source>
        <translation>必须是整数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must be a finite number</source>
        <translation>必须是有限的数字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must be a number</source>
        <translation>必须是数字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>must be at least n (%1)</source>
        <translation>不能小于 n（%1）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be at least %1 (got %2)</source>
        <translation>不能小于 %1（当前为 %2）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>must be between %1 and %2 (got %3)</source>
        <translation>必须介于 %1 和 %2 之间（当前为 %3）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>0 is only meaningful with echo (to score the prompt)</source>
        <translation>0 只有在开启回显时才有意义（用于给提示词打分）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot be used with stream; turn streaming off</source>
        <translation>不能与流式输出同时使用；请关闭流式输出</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>must be a JSON object mapping token ids to numbers</source>
        <translation>必须是把 token ID 映射到数字的 JSON 对象</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>must be a JSON object { … }</source>
        <translation>必须是 JSON 对象 { … }</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must be a JSON object</source>
        <translation>必须是 JSON 对象</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must be a text or a list of texts</source>
        <translation>必须是文本或文本列表</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&apos;%1&apos; has its own field; set it there</source>
        <translation>“%1”有自己的字段；请在那里设置</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>at most %1 sequences (got %2)</source>
        <translation>最多 %1 个序列（当前为 %2 个）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a stop sequence cannot be empty</source>
        <translation>停止序列不能为空</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a key must be a token id (a whole number ≥ 0)</source>
        <translation>键必须是 token ID（不小于 0 的整数）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the bias must be a number</source>
        <translation>偏置必须是数字</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the bias must be between -100 and 100 (got %1)</source>
        <translation>偏置必须介于 -100 和 100 之间（当前为 %1）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not valid JSON: %1 at line %2, column %3</source>
        <translation>不是有效的 JSON：%1（第 %2 行，第 %3 列）</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>questions</name>
    <message>
        <location filename="../../app/ui/questions.py" line="+34"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>“%1” has changes that are not saved.</source>
        <translation>“%1”有尚未保存的更改。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Save them first?</source>
        <translation>先保存吗？</translation>
    </message>
</context>
<context>
    <name>template</name>
    <message>
        <location filename="../../app/ui/template_notes.py" line="+19"/>
        <source>OpenAI&apos;s own API. Keys: https://platform.openai.com/api-keys</source>
        <translation>OpenAI 官方 API。密钥：https://platform.openai.com/api-keys</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Relay service (中转站). Full /v1/completions parameter list; responses carry system_fingerprint.</source>
        <translation>中转站。完整的 /v1/completions 参数列表；响应中带有 system_fingerprint。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relay service (中转站). Its example request sends no Authorization header.</source>
        <translation>中转站。其示例请求不发送 Authorization 请求头。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relay service (中转站). Documents the older parameter list and GET /v1/models/{id}.</source>
        <translation>中转站。文档记载的是旧版参数列表和 GET /v1/models/{id}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Relay service (中转站).</source>
        <translation>中转站。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>llama.cpp&apos;s llama-server or llama-cpp-python&apos;s server. Any model name is accepted.</source>
        <translation>llama.cpp 的 llama-server 或 llama-cpp-python 的服务器。接受任意模型名称。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ollama&apos;s OpenAI-compatible endpoint. No key needed.</source>
        <translation>Ollama 的 OpenAI 兼容接口。无需密钥。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>vLLM&apos;s OpenAI-compatible server (vllm serve MODEL).</source>
        <translation>vLLM 的 OpenAI 兼容服务器（vllm serve MODEL）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>LM Studio&apos;s local server. No key needed.</source>
        <translation>LM Studio 的本地服务器。无需密钥。</translation>
    </message>
</context>
<context>
    <name>window_state</name>
    <message>
        <location filename="../../app/ui/window_state.py" line="+38"/>
        <source>The settings</source>
        <translation>设置</translation>
    </message>
</context>
</TS>
