<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../pages/dashboard.py" line="97"/>
        <source>No results yet: import an inventory and score it (F5).</source>
        <translation>尚无评估结果：请导入清单并评分（F5）。</translation>
    </message>
    <message>
        <location filename="../pages/dashboard.py" line="99"/>
        <source>Top-risk chains (click to select)</source>
        <translation>风险最高的产业链（点击选中）</translation>
    </message>
    <message>
        <location filename="../pages/dashboard.py" line="102"/>
        <source>Chain</source>
        <translation>产业链</translation>
    </message>
    <message>
        <location filename="../pages/dashboard.py" line="103"/>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../pages/dashboard.py" line="104"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location filename="../pages/dashboard.py" line="105"/>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <location filename="../files.py" line="59"/>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <location filename="../files.py" line="84"/>
        <source>Cannot open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <location filename="../files.py" line="87"/>
        <source>Opening</source>
        <translation>正在打开</translation>
    </message>
    <message>
        <location filename="../files.py" line="127"/>
        <source>Unsaved project</source>
        <translation>项目尚未保存</translation>
    </message>
    <message>
        <location filename="../files.py" line="128"/>
        <source>This project has no file name yet. Save it before closing?</source>
        <translation>此项目还没有文件名。关闭前是否保存？</translation>
    </message>
    <message>
        <location filename="../files.py" line="130"/>
        <source>If you do not save it, its edits are deleted.</source>
        <translation>如不保存，其中的编辑将被删除。</translation>
    </message>
    <message>
        <location filename="../files.py" line="132"/>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../files.py" line="134"/>
        <source>Don&apos;t save</source>
        <translation>不保存</translation>
    </message>
    <message>
        <location filename="../files.py" line="137"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../files.py" line="155"/>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <location filename="../files.py" line="156"/>
        <source>riskdesk projects</source>
        <translation>riskdesk 项目</translation>
    </message>
    <message>
        <location filename="../files.py" line="171"/>
        <source>All changes are saved in {path}.</source>
        <translation>所有更改已保存到 {path}。</translation>
    </message>
    <message>
        <location filename="../files.py" line="196"/>
        <source>Saving</source>
        <translation>正在保存</translation>
    </message>
    <message>
        <location filename="../files.py" line="199"/>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <location filename="../files.py" line="237"/>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <location filename="../files.py" line="238"/>
        <source>riskdesk did not close normally. Work without a file name, last changed {when}, was kept. Recover it?</source>
        <translation>riskdesk 上次未正常关闭。一份未命名的工作（最后修改于 {when}）已保留。是否恢复？</translation>
    </message>
    <message>
        <location filename="../files.py" line="241"/>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../files.py" line="244"/>
        <source>Discard it</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../files.py" line="246"/>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../files.py" line="268"/>
        <source>Recovering</source>
        <translation>正在恢复</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <location filename="../importing.py" line="84"/>
        <source>Import preview — {file}</source>
        <translation>导入预览 — {file}</translation>
    </message>
    <message>
        <location filename="../importing.py" line="94"/>
        <source>{ok} rows can be imported; {bad} rows have errors. {errors} errors, {warnings} warnings, {assumptions} assumptions ({detected}; header on row {header}). Nothing is stored until you press Import. Double-click a problem to import and go to it.</source>
        <translation>可导入 {ok} 行；{bad} 行有错误。共 {errors} 个错误、{warnings} 个警告、{assumptions} 条假设（{detected}；表头在第 {header} 行）。按“导入”之前不会保存任何内容。双击某个问题可导入并定位到该处。</translation>
    </message>
    <message>
        <location filename="../importing.py" line="112"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../importing.py" line="113"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../importing.py" line="114"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../importing.py" line="118"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../importing.py" line="119"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../importing.py" line="120"/>
        <source>assumption</source>
        <translation>假设</translation>
    </message>
    <message>
        <location filename="../importing.py" line="139"/>
        <source>Leave out the {n} rows with errors (they stay listed as skipped)</source>
        <translation>不导入有错误的 {n} 行（它们仍作为“已跳过”列出）</translation>
    </message>
    <message>
        <location filename="../importing.py" line="145"/>
        <source>Import all rows; cells with errors stay empty (missing) so you can fix them in place</source>
        <translation>导入全部行；有错误的单元格留空（记为缺失），以便就地修正</translation>
    </message>
    <message>
        <location filename="../importing.py" line="153"/>
        <source>{n} rows repeat a chain ID used on an earlier row:</source>
        <translation>有 {n} 行的产业链编号与前面的行重复：</translation>
    </message>
    <message>
        <location filename="../importing.py" line="158"/>
        <source>keep the first row of each ID, list the others as not imported</source>
        <translation>保留每个编号的第一行，其余各行列为未导入</translation>
    </message>
    <message>
        <location filename="../importing.py" line="160"/>
        <source>keep every row; import the later ones as ID-2, ID-3 …</source>
        <translation>保留所有行；后出现的行以“编号-2”“编号-3”…导入</translation>
    </message>
    <message>
        <location filename="../importing.py" line="162"/>
        <source>leave out every row of a repeated ID</source>
        <translation>重复编号的所有行都不导入</translation>
    </message>
    <message>
        <location filename="../importing.py" line="174"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../importing.py" line="178"/>
        <location filename="../importing.py" line="248"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../importing.py" line="232"/>
        <source>Import {file}</source>
        <translation>导入 {file}</translation>
    </message>
    <message>
        <location filename="../importing.py" line="233"/>
        <source>This project already holds {n} rows. What should the import do?</source>
        <translation>此项目已有 {n} 行。导入应如何处理？</translation>
    </message>
    <message>
        <location filename="../importing.py" line="236"/>
        <source>Merge updates chains with the same ID and adds new ones; values you entered yourself are kept either way. Any choice can be undone.</source>
        <translation>合并：更新编号相同的产业链并添加新的产业链；无论哪种方式，您自己录入的数值都会保留。任何选择都可撤销。</translation>
    </message>
    <message>
        <location filename="../importing.py" line="239"/>
        <source>Replace the inventory</source>
        <translation>替换清单</translation>
    </message>
    <message>
        <location filename="../importing.py" line="242"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../importing.py" line="245"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location filename="../importing.py" line="309"/>
        <source>Reading {file}</source>
        <translation>正在读取 {file}</translation>
    </message>
    <message>
        <location filename="../importing.py" line="324"/>
        <source>Cannot import {file}</source>
        <translation>无法导入 {file}</translation>
    </message>
    <message>
        <location filename="../importing.py" line="390"/>
        <source>Importing {file}</source>
        <translation>正在导入 {file}</translation>
    </message>
</context>
<context>
    <name>Inventory</name>
    <message>
        <location filename="../inventory_model.py" line="72"/>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="73"/>
        <source>Chain</source>
        <translation>产业链</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="74"/>
        <source>Segment</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="75"/>
        <source>Sector</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="76"/>
        <source>Tech category</source>
        <translation>技术类别</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="77"/>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="78"/>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="79"/>
        <source>Exposure</source>
        <translation>供给暴露</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="80"/>
        <source>Stability</source>
        <translation>稳健性</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="81"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="176"/>
        <source>Search by ID, name, segment or sector</source>
        <translation>按编号、名称、环节或行业搜索</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="178"/>
        <source>Import spreadsheet…</source>
        <translation>导入表格…</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="179"/>
        <source>Assess selected chain</source>
        <translation>评估所选产业链</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="181"/>
        <source>No chains yet. Import a spreadsheet (or drop it on the window).</source>
        <translation>还没有产业链。请导入表格（或把文件拖到窗口上）。</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="189"/>
        <source>All classifications</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="194"/>
        <source>All risk levels</source>
        <translation>全部风险等级</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="199"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../pages/inventory.py" line="255"/>
        <source>{shown} of {total} rows shown · {selected} selected</source>
        <translation>显示 {shown} / {total} 行 · 已选 {selected} 行</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../inventory_model.py" line="90"/>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="91"/>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="92"/>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="93"/>
        <source>critical</source>
        <translation>极高</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="100"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="101"/>
        <source>submitted</source>
        <translation>已提交</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="102"/>
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../inventory_model.py" line="103"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="58"/>
        <source>Inventory</source>
        <translation>产业链清单</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="59"/>
        <source>Assessment</source>
        <translation>向导评估</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="60"/>
        <source>Dashboard</source>
        <translation>总览</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="61"/>
        <source>Data problems</source>
        <translation>数据问题</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="62"/>
        <source>Taxonomy</source>
        <translation>分类体系</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="63"/>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="64"/>
        <source>Scenarios</source>
        <translation>情景分析</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="151"/>
        <source>Assessment saved.</source>
        <translation>评估已保存。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="276"/>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="279"/>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="306"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="307"/>
        <source>Recent files</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="308"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="309"/>
        <source>&amp;Assessment</source>
        <translation>评估(&amp;A)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="310"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="311"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="312"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="313"/>
        <source>Import spreadsheet…</source>
        <translation>导入表格…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="314"/>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="315"/>
        <source>Open project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="316"/>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="317"/>
        <source>Save project as…</source>
        <translation>项目另存为…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="318"/>
        <source>Close project</source>
        <translation>关闭项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="319"/>
        <source>Assess selected chain</source>
        <translation>评估所选产业链</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="320"/>
        <source>Re-score all</source>
        <translation>全部重新评分</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="321"/>
        <source>Export reports…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="322"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="323"/>
        <source>Analyst name…</source>
        <translation>分析人员姓名…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="324"/>
        <location filename="../main_window.py" line="548"/>
        <source>About riskdesk</source>
        <translation>关于 riskdesk</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="344"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="344"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="352"/>
        <source>{project}[*] — riskdesk industrial chain security assessment</source>
        <translation>{project}[*] — riskdesk 产业链安全评估</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="388"/>
        <source>Analyst name</source>
        <translation>分析人员姓名</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="389"/>
        <source>Name recorded with expert values, decisions and the audit trail:</source>
        <translation>记录在专家判断、评估决定和审计日志中的姓名：</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="541"/>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="415"/>
        <source>scored</source>
        <translation>已评分</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="411"/>
        <source>not scored</source>
        <translation>未评分</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="409"/>
        <source>untitled project</source>
        <translation>未命名项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="413"/>
        <source>scoring again…</source>
        <translation>正在重新评分…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="417"/>
        <source>{source} · {n} rows · {scored}</source>
        <translation>{source} · {n} 行 · {scored}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="423"/>
        <source>Taxonomy {name} · {sha}</source>
        <translation>分类体系 {name} · {sha}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="432"/>
        <source>Spreadsheets</source>
        <translation>表格文件</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="438"/>
        <source>Import spreadsheet</source>
        <translation>导入表格</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="497"/>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="499"/>
        <source>riskdesk projects</source>
        <translation>riskdesk 项目</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="538"/>
        <source>Scoring chains</source>
        <translation>正在评分</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="549"/>
        <source>riskdesk {version}: industrial-chain security assessment by capability type (Li Wei &amp; He Jun).</source>
        <translation>riskdesk {version}：按能力类型进行产业链安全评估（李巍、何君）。</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../pages/problems.py" line="37"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="38"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="39"/>
        <source>assumption</source>
        <translation>假设</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="45"/>
        <source>row left out</source>
        <translation>该行未导入</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="46"/>
        <source>imported; cell left empty to fix in place</source>
        <translation>已导入；单元格留空，待就地修正</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="47"/>
        <source>fixed</source>
        <translation>已修正</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="48"/>
        <source>first row kept</source>
        <translation>保留第一行</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="49"/>
        <source>both kept (renamed)</source>
        <translation>两行均保留（已重命名）</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="50"/>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="51"/>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="54"/>
        <source>noted</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="93"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="93"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="94"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="94"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="95"/>
        <source>What was done</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="117"/>
        <source>The current inventory has no data problems.</source>
        <translation>当前清单没有数据问题。</translation>
    </message>
    <message>
        <location filename="../pages/problems.py" line="120"/>
        <source>{errors} errors, {warnings} warnings, {assumptions} assumptions in the current inventory. Double-click a problem to go where it is fixed.</source>
        <translation>当前清单有 {errors} 个错误、{warnings} 个警告、{assumptions} 个假设。双击问题可跳转到修正位置。</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../pages/reports.py" line="203"/>
        <source>Report language</source>
        <translation>报告语言</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="204"/>
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="205"/>
        <source>Organisation</source>
        <translation>编制单位</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="206"/>
        <source>Author</source>
        <translation>编制人</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="207"/>
        <source>Classification marking</source>
        <translation>密级标注</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="208"/>
        <location filename="../pages/reports.py" line="279"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="209"/>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="214"/>
        <source>Chains to include (one chain: a dossier; several: a portfolio report)</source>
        <translation>纳入报告的产业链（一条：单链报告；多条：组合报告）</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="218"/>
        <source>All</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="219"/>
        <source>None</source>
        <translation>全不选</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="220"/>
        <source>PDF dossier</source>
        <translation>PDF 报告</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="221"/>
        <source>Excel workbook</source>
        <translation>Excel 工作簿</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="222"/>
        <source>Word document (editable)</source>
        <translation>Word 文档（可编辑）</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="223"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="224"/>
        <source>Open the result when done</source>
        <translation>完成后打开结果</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="225"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="226"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="305"/>
        <source>Score the inventory and choose at least one chain.</source>
        <translation>请先评分，并至少选择一条产业链。</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="311"/>
        <source>Choose a format this installation can write.</source>
        <translation>请选择本安装可以输出的格式。</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="332"/>
        <source>Exporting reports</source>
        <translation>正在导出报告</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="338"/>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="343"/>
        <source>Export cancelled; no file was left half-written.</source>
        <translation>导出已取消；没有留下写了一半的文件。</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="349"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../pages/reports.py" line="370"/>
        <source>Written: {files}</source>
        <translation>已写出：{files}</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <location filename="../review.py" line="69"/>
        <source>&amp;Review</source>
        <translation>审批(&amp;R)</translation>
    </message>
    <message>
        <location filename="../review.py" line="70"/>
        <source>Submit for review</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <location filename="../review.py" line="71"/>
        <source>Return to assessor…</source>
        <translation>退回评估员…</translation>
    </message>
    <message>
        <location filename="../review.py" line="72"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../review.py" line="73"/>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <location filename="../review.py" line="112"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../review.py" line="113"/>
        <source>submitted for review</source>
        <translation>已提交审核</translation>
    </message>
    <message>
        <location filename="../review.py" line="114"/>
        <source>returned to its assessor</source>
        <translation>已退回评估员</translation>
    </message>
    <message>
        <location filename="../review.py" line="115"/>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../review.py" line="117"/>
        <source>{chain}: {state}</source>
        <translation>{chain}：{state}</translation>
    </message>
    <message>
        <location filename="../review.py" line="120"/>
        <source>by {who}</source>
        <translation>（批准人：{who}）</translation>
    </message>
    <message>
        <location filename="../review.py" line="135"/>
        <source>Return to assessor</source>
        <translation>退回评估员</translation>
    </message>
    <message>
        <location filename="../review.py" line="136"/>
        <source>Why is it returned? (the assessor reads this)</source>
        <translation>退回理由（评估员会看到）：</translation>
    </message>
    <message>
        <location filename="../review.py" line="141"/>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../review.py" line="142"/>
        <source>Why is the approved assessment reopened?</source>
        <translation>重新打开已批准评估的理由：</translation>
    </message>
</context>
<context>
    <name>Scenarios</name>
    <message>
        <location filename="../pages/scenario_detail.py" line="90"/>
        <source>Missing</source>
        <translation>缺失型</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="91"/>
        <source>Destroyed</source>
        <translation>破坏型</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="92"/>
        <source>Response</source>
        <translation>响应型</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="93"/>
        <source>Normal</source>
        <translation>常态依赖</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="94"/>
        <source>Monitor</source>
        <translation>监测</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="95"/>
        <source>No evidence</source>
        <translation>证据不足</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="101"/>
        <source>Partner cut-off</source>
        <translation>伙伴断供</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="102"/>
        <source>Export ban</source>
        <translation>出口禁令</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="103"/>
        <source>Logistics block</source>
        <translation>物流受阻</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="104"/>
        <source>Rating shock</source>
        <translation>评级冲击</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="105"/>
        <source>Demand surge</source>
        <translation>需求激增</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="106"/>
        <source>Plant outage</source>
        <translation>产能中断</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="323"/>
        <location filename="../pages/scenario_detail.py" line="113"/>
        <location filename="../pages/scenario_detail.py" line="244"/>
        <source>{days} d</source>
        <translation>{days} 天</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="307"/>
        <source>n/a</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="157"/>
        <source>Unmet share not available: {reason}</source>
        <translation>未满足需求占比无法计算：{reason}</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="136"/>
        <source>{type} (n/a)</source>
        <translation>{type}（无数据）</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="155"/>
        <source>Shocked classification: {type}</source>
        <translation>冲击下的分类：{type}</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="162"/>
        <source>Unmet share: {share}</source>
        <translation>未满足需求占比：{share}</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="163"/>
        <source>Time to survive: {days}</source>
        <translation>生存时间：{days}</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="167"/>
        <source>▲ the chain&apos;s priority worsens under this scenario</source>
        <translation>▲ 该情景下产业链的风险优先级上升</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="306"/>
        <source>Unmet share:</source>
        <translation>未满足需求占比：</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="308"/>
        <location filename="../pages/scenario_detail.py" line="402"/>
        <source>▲ priority worsens</source>
        <translation>▲ 优先级上升</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="358"/>
        <source>Before → after</source>
        <translation>冲击前 → 冲击后</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="360"/>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="361"/>
        <source>Strategy</source>
        <translation>战略</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="362"/>
        <source>Time to survive (TTS)</source>
        <translation>生存时间（TTS）</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="363"/>
        <source>Time to recover (TTR)</source>
        <translation>恢复时间（TTR）</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="364"/>
        <source>Unmet demand</source>
        <translation>未满足需求</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="365"/>
        <source>Unmet share</source>
        <translation>未满足需求占比</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="366"/>
        <source>Expected unmet per year</source>
        <translation>年化期望未满足需求</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="370"/>
        <location filename="../pages/scenario_detail.py" line="435"/>
        <source>Indicator changes (drivers)</source>
        <translation>指标变化（驱动因素）</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="372"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="372"/>
        <source>Before</source>
        <translation>冲击前</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="373"/>
        <source>After</source>
        <translation>冲击后</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="373"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="383"/>
        <source>Click a cell of the heat map to see that chain before and after the scenario.</source>
        <translation>点击热力图中的单元格，查看该产业链在情景前后的对比。</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="396"/>
        <source>(verdict from segment {segment})</source>
        <translation>（结论来自环节 {segment}）</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="404"/>
        <source>(type unchanged)</source>
        <translation>（类型未变）</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="411"/>
        <source>stock lasts the whole scenario</source>
        <translation>库存可支撑整个情景期</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="415"/>
        <source>{days} consumption-days</source>
        <translation>{days} 天消费量</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="429"/>
        <source>● alone, this change moves the chain to another type</source>
        <translation>● 仅此一项变化即可使产业链归入另一类型</translation>
    </message>
    <message>
        <location filename="../pages/scenario_detail.py" line="433"/>
        <source>Indicator changes (drivers): none</source>
        <translation>指标变化（驱动因素）：无</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="221"/>
        <source>Open library…</source>
        <translation>打开情景库…</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="222"/>
        <source>Bundled library</source>
        <translation>内置情景库</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="223"/>
        <source>All</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="224"/>
        <source>None</source>
        <translation>全不选</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="225"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="226"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="228"/>
        <location filename="../pages/scenarios.py" line="233"/>
        <source>Scenario</source>
        <translation>情景</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="228"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="229"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="229"/>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="230"/>
        <source>Probability / year</source>
        <translation>年发生概率</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="233"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="234"/>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="234"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="235"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="237"/>
        <source>Chains × scenarios: colour = unmet share of demand during the scenario, text = classification under the shock</source>
        <translation>产业链 × 情景：颜色 = 情景期间未满足需求占比，文字 = 冲击下的分类</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="261"/>
        <source>Open scenario library</source>
        <translation>打开情景库</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="262"/>
        <source>Scenario libraries</source>
        <translation>情景库</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="270"/>
        <source>Reading scenario library</source>
        <translation>正在读取情景库</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="284"/>
        <source>The library could not be read: {error}</source>
        <translation>无法读取情景库：{error}</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="302"/>
        <source>No scenario library loaded.</source>
        <translation>尚未加载情景库。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="307"/>
        <source>Library {file} · {n} scenarios · sha256 {sha}</source>
        <translation>情景库 {file} · {n} 个情景 · sha256 {sha}</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="360"/>
        <source>The library loaded before is kept.</source>
        <translation>保留此前加载的情景库。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="361"/>
        <source>No library is loaded.</source>
        <translation>未加载情景库。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="363"/>
        <source>{file} cannot be used: {n} problem(s). {kept}</source>
        <translation>{file} 无法使用：{n} 处问题。{kept}</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="384"/>
        <source>Load a library and check at least one scenario.</source>
        <translation>请加载情景库并至少勾选一个情景。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="388"/>
        <source>Import an inventory first.</source>
        <translation>请先导入产业链清单。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="395"/>
        <source>Running scenarios</source>
        <translation>正在运行情景</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="401"/>
        <source>The run failed: {error}</source>
        <translation>运行失败：{error}</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="403"/>
        <source>Run cancelled; the results shown before are kept.</source>
        <translation>已取消运行，保留此前显示的结果。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="408"/>
        <source>Running {n} scenario(s)…</source>
        <translation>正在运行 {n} 个情景…</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="443"/>
        <source>{chains} chains × {scenarios} scenarios.</source>
        <translation>{chains} 条产业链 × {scenarios} 个情景。</translation>
    </message>
    <message>
        <location filename="../pages/scenarios.py" line="450"/>
        <source>The data changed after this run: run again to update the map.</source>
        <translation>本次运行后数据已变更：请重新运行以更新热力图。</translation>
    </message>
</context>
<context>
    <name>Taxonomy</name>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="67"/>
        <source>{name} (edited)</source>
        <translation>{name}（已编辑）</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="185"/>
        <source>Anchors and weights</source>
        <translation>锚点与权重</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="186"/>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="187"/>
        <source>Country risk list</source>
        <translation>国别风险清单</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="189"/>
        <source>Low below</source>
        <translation>低风险上限</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="190"/>
        <source>Medium below</source>
        <translation>中风险上限</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="191"/>
        <source>High below (critical at or above)</source>
        <translation>高风险上限（达到即为极高）</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="192"/>
        <source>Minimum evidence coverage</source>
        <translation>最低证据覆盖率</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="193"/>
        <source>Type assigned at score</source>
        <translation>判定类型的得分阈值</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="199"/>
        <source>Profile name</source>
        <translation>方案名称</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="200"/>
        <source>Save as profile</source>
        <translation>另存为方案</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="201"/>
        <source>Load profile</source>
        <translation>载入方案</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="202"/>
        <source>Reset to default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="203"/>
        <source>Add country</source>
        <translation>添加国家</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="204"/>
        <source>Save and re-score</source>
        <translation>保存并重新评分</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="207"/>
        <source>ISO3 code</source>
        <translation>ISO3 代码</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="208"/>
        <source>Risk rating (0–1)</source>
        <translation>风险评级（0–1）</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="212"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="213"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="214"/>
        <source>Safe anchor</source>
        <translation>安全锚点</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="215"/>
        <source>Critical anchor</source>
        <translation>临界锚点</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="269"/>
        <source>Taxonomy “{name}” · content hash sha256 {sha}</source>
        <translation>分类体系“{name}” · 内容哈希 sha256 {sha}</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="307"/>
        <source>Some cells are not numbers.</source>
        <translation>有单元格不是数字。</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="336"/>
        <location filename="../pages/taxonomy_editor.py" line="341"/>
        <source>Not applied: {problems}</source>
        <translation>未应用：{problems}</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="352"/>
        <source>Applying the taxonomy</source>
        <translation>正在应用分类体系</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="444"/>
        <source>Applying the country ratings</source>
        <translation>正在应用国家风险评级</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="446"/>
        <source>Applied; {n} countries rated.</source>
        <translation>已应用；{n} 个国家有评级。</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="358"/>
        <source>Give the profile a name (letters, digits, - _ .).</source>
        <translation>请为方案命名（字母、数字、汉字、- _ .）。</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="365"/>
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="374"/>
        <source>Cannot load the profile</source>
        <translation>无法载入方案</translation>
    </message>
    <message>
        <location filename="../pages/taxonomy_editor.py" line="419"/>
        <source>Row {row}: the rating is not a number.</source>
        <translation>第 {row} 行：评级不是数字。</translation>
    </message>
</context>
<context>
    <name>Team</name>
    <message>
        <location filename="../team.py" line="48"/>
        <source>Connect to team database</source>
        <translation>连接团队数据库</translation>
    </message>
    <message>
        <location filename="../team.py" line="50"/>
        <source>Service name (from the libpq service file) or address such as postgresql://analyst@server/riskdesk. The password comes from your password file (PGPASSFILE or ~/.pgpass); do not type it here.</source>
        <translation>填写服务名（libpq 服务文件中定义）或地址，例如 postgresql://analyst@server/riskdesk。密码取自您的密码文件（PGPASSFILE 或 ~/.pgpass），请勿在此输入。</translation>
    </message>
    <message>
        <location filename="../team.py" line="76"/>
        <source>Enter a service name or an address.</source>
        <translation>请填写服务名或地址。</translation>
    </message>
    <message>
        <location filename="../team.py" line="79"/>
        <source>This address contains a password. riskdesk never stores passwords: put it in your password file and enter the address without it.</source>
        <translation>该地址含有密码。riskdesk 从不保存密码：请将密码放入您的密码文件，并填写不含密码的地址。</translation>
    </message>
    <message>
        <location filename="../team.py" line="153"/>
        <source>Connect to team database…</source>
        <translation>连接团队数据库…</translation>
    </message>
    <message>
        <location filename="../team.py" line="170"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
</context>
<context>
    <name>Wizard</name>
    <message>
        <location filename="../pages/assessment.py" line="50"/>
        <source>1 Profile</source>
        <translation>1 基本情况</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="51"/>
        <source>2 Data check</source>
        <translation>2 数据核查</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="52"/>
        <source>3 Diagnostic questions</source>
        <translation>3 诊断问题</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="53"/>
        <source>4 Result</source>
        <translation>4 评估结果</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="54"/>
        <source>5 Strategy</source>
        <translation>5 治理策略</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="55"/>
        <source>6 Finish</source>
        <translation>6 完成</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="153"/>
        <source>Choose a chain in the inventory and press Assess.</source>
        <translation>请在清单中选择一条产业链，然后点击“评估”。</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="163"/>
        <source>Guided assessment: {name} ({id}{seg})</source>
        <translation>向导评估：{name}（{id}{seg}）</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="251"/>
        <source>Scoring {chain}</source>
        <translation>正在评分 {chain}</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="281"/>
        <source>Scoring failed</source>
        <translation>评分失败</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="299"/>
        <source>Saved. Undo with Ctrl+Z.</source>
        <translation>已保存。可用 Ctrl+Z 撤销。</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="328"/>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="329"/>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="330"/>
        <source>Save assessment</source>
        <translation>保存评估</translation>
    </message>
    <message>
        <location filename="../pages/assessment.py" line="331"/>
        <source>Restore unsaved answers</source>
        <translation>恢复未保存的回答</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="51"/>
        <source>Assigned types</source>
        <translation>判定类型</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="55"/>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="59"/>
        <source>Exposure gate: {score} (evidence coverage {coverage:.0%})</source>
        <translation>供给暴露门：{score}（证据覆盖率 {coverage:.0%}）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="64"/>
        <source>A capability gap with an unexposed supply: normal dependence.</source>
        <translation>存在能力缺口但供给风险暴露低：属于常态化分工依赖。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="71"/>
        <source>Robustness: the primary classification holds in {share:.0%} of {draws} weight draws (±{spread:.0%}).</source>
        <translation>稳健性：在 {draws} 次权重扰动（±{spread:.0%}）中，主分类保持不变的比例为 {share:.0%}。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="78"/>
        <source>Alternatives seen</source>
        <translation>出现过的其他结果</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="82"/>
        <source>Data to collect first</source>
        <translation>应优先补充的数据</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="126"/>
        <source>Scoring with the engine…</source>
        <translation>正在由评分引擎计算…</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="177"/>
        <location filename="../pages/assessment_result.py" line="406"/>
        <source>Waiting for the engine&apos;s result.</source>
        <translation>正在等待评分结果。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="180"/>
        <source>Choose the classification you stand behind.</source>
        <translation>请选择您认定的分类。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="182"/>
        <location filename="../pages/assessment_result.py" line="408"/>
        <source>An override needs a written reason.</source>
        <translation>改判分类必须填写理由。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="186"/>
        <source>Your decision</source>
        <translation>您的判断</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="187"/>
        <source>Accept the classification</source>
        <translation>接受该分类</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="188"/>
        <source>Override with:</source>
        <translation>改判为：</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="190"/>
        <source>Reason for the override (required, kept in the audit trail)</source>
        <translation>改判理由（必填，记入审计日志）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="244"/>
        <source>Sub-strategy</source>
        <translation>子策略</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="250"/>
        <location filename="../pages/assessment_result.py" line="255"/>
        <source>Priority mode</source>
        <translation>推进方式</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="258"/>
        <source>Your override: {outcome}. Adjust the measures below to match it.</source>
        <translation>您的改判：{outcome}。请相应调整下列措施。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="334"/>
        <source>Measures (tick to keep, double-click to edit the text, add your own below)</source>
        <translation>措施（勾选保留，双击修改文字，可在下方添加）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="339"/>
        <source>A measure of your own</source>
        <translation>自定义措施</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="340"/>
        <source>Add measure</source>
        <translation>添加措施</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="341"/>
        <source>Analyst notes</source>
        <translation>分析意见</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="375"/>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="377"/>
        <source>overridden: {reason}</source>
        <translation>已改判：{reason}</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="385"/>
        <source>{n} values entered or answered as expert judgement.</source>
        <translation>以专家判断录入或作答的数值：{n} 个。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="388"/>
        <source>{n} measures selected.</source>
        <translation>已选措施：{n} 项。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_result.py" line="412"/>
        <source>Status when saved</source>
        <translation>保存后的状态</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="146"/>
        <source>whole chain</source>
        <translation>全链</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="148"/>
        <location filename="../pages/assessment_steps.py" line="177"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="160"/>
        <source>The chain needs a name.</source>
        <translation>产业链需要名称。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="165"/>
        <source>Chain name</source>
        <translation>产业链名称</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="166"/>
        <source>Sector</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="167"/>
        <source>Segment</source>
        <translation>环节</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="168"/>
        <source>Technology category</source>
        <translation>技术类别</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="169"/>
        <source>Strategic value (1–5)</source>
        <translation>战略价值（1–5）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="170"/>
        <source>Generality (1–5)</source>
        <translation>通用性（1–5）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="171"/>
        <source>Responsible office</source>
        <translation>责任处室</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="172"/>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="250"/>
        <location filename="../pages/assessment_steps.py" line="334"/>
        <source>entered here (expert)</source>
        <translation>在此录入（专家判断）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="268"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="347"/>
        <source>Not a number: {names}</source>
        <translation>不是数字：{names}</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="356"/>
        <source>An entered value needs an evidence note: {names}</source>
        <translation>录入的数值需要证据说明：{names}</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="363"/>
        <source>Every indicator with value, unit, year and source. Missing values are highlighted; type a value (0.9 or 90%) with an evidence note to record it as an expert judgement.</source>
        <translation>列出每个指标的数值、单位、年份和来源。缺失值以黄色标出；输入数值（0.9 或 90%）并填写证据说明，即记为专家判断。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="371"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="372"/>
        <source>Feeds</source>
        <translation>所属维度</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="373"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="374"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="375"/>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="376"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="377"/>
        <source>Evidence note</source>
        <translation>证据说明</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="460"/>
        <source>Not answered</source>
        <translation>暂不回答</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="470"/>
        <source>The data already gives {value} ({source}); an answer replaces it.</source>
        <translation>数据中已有 {value}（{source}）；作答将替换该值。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="480"/>
        <source>Evidence note (source, interview, document)</source>
        <translation>证据说明（来源、访谈、文件）</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="515"/>
        <source>Each answer needs an evidence note ({n} without).</source>
        <translation>每个回答都需要证据说明（还有 {n} 个未填）。</translation>
    </message>
    <message>
        <location filename="../pages/assessment_steps.py" line="522"/>
        <source>Answer what the data cannot tell. Each level is anchored in the papers&apos; cases; the answer is stored as an expert indicator value with your evidence note.</source>
        <translation>回答数据无法说明的问题。每个等级都以文献中的案例为锚点；回答将连同证据说明记为专家判断的指标值。</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <location filename="../worker.py" line="174"/>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <location filename="../worker.py" line="176"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
