<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CurvesView</name>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Mean absolute error</source>
        <translation>平均绝对误差</translation>
    </message>
    <message>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Show the loss on a logarithmic axis.</source>
        <translation>用对数坐标轴显示损失。</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Exponential moving average of the curves, as in TensorBoard;
the raw values stay faintly behind.</source>
        <translation>曲线的指数滑动平均，与 TensorBoard 相同；
原始数值以浅色留在后面。</translation>
    </message>
    <message>
        <source>Smoothing weight</source>
        <translation>平滑系数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Train to see the loss per epoch.</source>
        <translation>开始训练后可看到每一轮的损失。</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Train to see the accuracy per epoch.</source>
        <translation>开始训练后可看到每一轮的准确率。</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Train to see the {0} per epoch.</source>
        <translation>开始训练后可看到每一轮的{0}。</translation>
    </message>
    <message>
        <source>loss (log scale)</source>
        <translation>损失（对数坐标）</translation>
    </message>
    <message>
        <source>epoch {0:.0f}</source>
        <translation>第 {0:.0f} 轮</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>The data set to learn from</source>
        <translation>用来学习的数据集</translation>
    </message>
    <message>
        <source>{0}
Task: {1}.</source>
        <translation>{0}
任务：{1}。</translation>
    </message>
    <message>
        <source>CSV file…</source>
        <translation>CSV 文件…</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose CSV file</source>
        <translation>选择 CSV 文件</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>The column the model learns to predict</source>
        <translation>模型要学会预测的那一列</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Auto: a text target, or one of at most {0} different whole numbers, is a class label; other numbers are a regression target. Choose Regression for ratings such as 1 to 10.</source>
        <translation>自动：文本目标，或不超过 {0} 种不同整数的目标，视为类别标签；其他数值视为回归目标。像 1 到 10 这样的评分请选“回归”。</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>How many points to generate</source>
        <translation>生成多少个样本点</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Random displacement of the points, in percent (TensorFlow Playground&apos;s noise)</source>
        <translation>样本点的随机偏移，以百分比计（即 TensorFlow Playground 的噪声）</translation>
    </message>
    <message>
        <source>Training share</source>
        <translation>训练集比例</translation>
    </message>
    <message>
        <source>The share of the data used for training; the rest is the test set</source>
        <translation>用于训练的数据比例；其余为测试集</translation>
    </message>
    <message>
        <source>Data seed</source>
        <translation>数据随机种子</translation>
    </message>
    <message>
        <source>The random seed of the generator and of the train/test split</source>
        <translation>数据生成和训练集/测试集划分所用的随机种子</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Input features</source>
        <translation>输入特征</translation>
    </message>
    <message>
        <source>Feature crosses of the two coordinates, as in TensorFlow Playground</source>
        <translation>两个坐标的特征组合，与 TensorFlow Playground 相同</translation>
    </message>
    <message>
        <source>Feature {0}</source>
        <translation>特征 {0}</translation>
    </message>
    <message>
        <source>Change noise</source>
        <translation>修改噪声</translation>
    </message>
    <message>
        <source>Change training share</source>
        <translation>修改训练集比例</translation>
    </message>
    <message>
        <source>Change data seed</source>
        <translation>修改数据随机种子</translation>
    </message>
    <message>
        <source> {0}: {1} training and {2} test rows, {3} features.</source>
        <translation>{0}：训练集 {1} 行，测试集 {2} 行，{3} 个特征。</translation>
    </message>
    <message>
        <source> {0}: {1} training and {2} test rows, {3} feature.</source>
        <translation>{0}：训练集 {1} 行，测试集 {2} 行，{3} 个特征。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>How many images to use (a seeded subset); All: every image</source>
        <translation>使用多少张图像（按随机种子取子集）；全部：使用所有图像</translation>
    </message>
    <message>
        <source>This data set has a fixed size</source>
        <translation>这个数据集的大小是固定的</translation>
    </message>
    <message>
        <source>Choose data set {0}</source>
        <translation>选择数据集 {0}</translation>
    </message>
    <message>
        <source>Import a CSV file</source>
        <translation>导入 CSV 文件</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import {0}</source>
        <translation>导入 {0}</translation>
    </message>
    <message>
        <source>Choose target column</source>
        <translation>选择目标列</translation>
    </message>
    <message>
        <source>Choose task</source>
        <translation>选择任务</translation>
    </message>
    <message>
        <source>Change samples</source>
        <translation>修改样本数</translation>
    </message>
    <message>
        <source>Choose at least one input feature.</source>
        <translation>请至少选择一个输入特征。</translation>
    </message>
    <message>
        <source>Change input features</source>
        <translation>修改输入特征</translation>
    </message>
</context>
<context>
    <name>DataPreview</name>
    <message>
        <source>{0} across, {1} up</source>
        <translation>横轴 {0}，纵轴 {1}</translation>
    </message>
    <message>
        <source>first two principal components of {0} standardized features</source>
        <translation>{0} 个标准化特征的前两个主成分</translation>
    </message>
    <message>
        <source>Data preview</source>
        <translation>数据预览</translation>
    </message>
    <message>
        <source>Preview of the data set&apos;s points</source>
        <translation>数据集样本点的预览</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>{0:,} points</source>
        <translation>{0:,} 个点</translation>
    </message>
    <message>
        <source>{0:,} of {1:,} points</source>
        <translation>{1:,} 个点中的 {0:,} 个</translation>
    </message>
    <message>
        <source>{0}: {1}; colour: {2}</source>
        <translation>{0}：{1}；颜色：{2}</translation>
    </message>
    <message>
        <source>Choose a data set to preview its points.</source>
        <translation>选择一个数据集来预览它的样本点。</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>Save changes to {0}?</source>
        <translation>保存对 {0} 的修改吗？</translation>
    </message>
    <message>
        <source>Folder (*)</source>
        <translation>文件夹 (*)</translation>
    </message>
</context>
<context>
    <name>EngineClient</name>
    <message>
        <source>The training engine stopped unexpectedly; Train starts a fresh one that continues from epoch {0}.</source>
        <translation>训练引擎意外停止；点击“训练”将启动新的引擎，从第 {0} 轮继续。</translation>
    </message>
    <message>
        <source>The training engine stopped unexpectedly; Train starts a fresh one.</source>
        <translation>训练引擎意外停止；点击“训练”将启动新的引擎。</translation>
    </message>
</context>
<context>
    <name>EventPump</name>
    <message>
        <source>There is no model to set a weight in.</source>
        <translation>还没有可以设置权重的模型。</translation>
    </message>
    <message>
        <source>Folder for TensorBoard Logs</source>
        <translation>TensorBoard 日志文件夹</translation>
    </message>
    <message>
        <source>TensorBoard</source>
        <translation>TensorBoard</translation>
    </message>
    <message>
        <source>Each run is written to a folder of {0}: tensorboard --logdir {0}</source>
        <translation>每次运行写入 {0} 中的一个文件夹：tensorboard --logdir {0}</translation>
    </message>
    <message>
        <source>TensorBoard: {0}</source>
        <translation>TensorBoard：{0}</translation>
    </message>
    <message>
        <source>Training to epoch {0} on {1}…</source>
        <translation>正在 {1} 上训练到第 {0} 轮…</translation>
    </message>
    <message>
        <source>Applied at epoch {0}: {1}.</source>
        <translation>在第 {0} 轮生效：{1}。</translation>
    </message>
    <message>
        <source>Paused at {0}.</source>
        <translation>已暂停于{0}。</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Trained to epoch {0} in {1:.1f} s.</source>
        <translation>已训练到第 {0} 轮，用时 {1:.1f} 秒。</translation>
    </message>
    <message>
        <source>Stopped at epoch {0}.</source>
        <translation>已停止于第 {0} 轮。</translation>
    </message>
    <message>
        <source>Stepped to {0}.</source>
        <translation>已单步训练到{0}。</translation>
    </message>
    <message>
        <source>batch {0} of {1} of epoch {2}</source>
        <translation>第 {2} 轮的第 {0}/{1} 个批次</translation>
    </message>
    <message>
        <source>epoch {0}</source>
        <translation>第 {0} 轮</translation>
    </message>
    <message>
        <source>Loading TensorFlow…</source>
        <translation>正在加载 TensorFlow…</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>Pausing…</source>
        <translation>正在暂停…</translation>
    </message>
    <message>
        <source>Ready to train.</source>
        <translation>可以开始训练了。</translation>
    </message>
    <message>
        <source>Epoch {0}</source>
        <translation>第 {0} 轮</translation>
    </message>
    <message>
        <source>{0:,.0f} samples/s</source>
        <translation>{0:,.0f} 样本/秒</translation>
    </message>
    <message>
        <source>Epoch {0} ({1:.0%})</source>
        <translation>第 {0} 轮 ({1:.0%})</translation>
    </message>
    <message>
        <source>— samples/s</source>
        <translation>— 样本/秒</translation>
    </message>
</context>
<context>
    <name>ExperimentState</name>
    <message>
        <source>Loading {0}…</source>
        <translation>正在加载 {0}…</translation>
    </message>
</context>
<context>
    <name>FileCommands</name>
    <message>
        <source>Playground experiments (*.json);;All files (*)</source>
        <translation>Playground 实验 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export weights</source>
        <translation>导出权重</translation>
    </message>
    <message>
        <source>Keras weights (*.weights.h5)</source>
        <translation>Keras 权重 (*.weights.h5)</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Keras model (*.keras)</source>
        <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
        <source>Export SavedModel folder</source>
        <translation>导出 SavedModel 文件夹</translation>
    </message>
    <message>
        <source>Export history</source>
        <translation>导出训练历史</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Load weights</source>
        <translation>加载权重</translation>
    </message>
    <message>
        <source>Keras weights or model (*.weights.h5 *.keras)</source>
        <translation>Keras 权重或模型 (*.weights.h5 *.keras)</translation>
    </message>
    <message>
        <source>Functional API: keras.Model(inputs, outputs)</source>
        <translation>函数式 API：keras.Model(inputs, outputs)</translation>
    </message>
    <message>
        <source>keras.Model subclass</source>
        <translation>keras.Model 子类</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Whole window</source>
        <translation>整个窗口</translation>
    </message>
    <message>
        <source>Open experiment</source>
        <translation>打开实验</translation>
    </message>
    <message>
        <source>Cannot open the experiment</source>
        <translation>无法打开实验</translation>
    </message>
    <message>
        <source>Opened {0}.</source>
        <translation>已打开 {0}。</translation>
    </message>
    <message>
        <source>Save experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>Cannot save the experiment</source>
        <translation>无法保存实验</translation>
    </message>
    <message>
        <source>Saved {0}.</source>
        <translation>已保存 {0}。</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Stop training to load the weights?</source>
        <translation>停止训练以加载权重吗？</translation>
    </message>
    <message>
        <source>Stop training to export?</source>
        <translation>停止训练以导出吗？</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Export Python code</source>
        <translation>导出 Python 代码</translation>
    </message>
    <message>
        <source>Model style (the notes on model styles show all three)</source>
        <translation>模型写法（关于模型写法的笔记介绍了这三种）</translation>
    </message>
    <message>
        <source>Python files (*.py)</source>
        <translation>Python 文件 (*.py)</translation>
    </message>
    <message>
        <source>Cannot export the code</source>
        <translation>无法导出代码</translation>
    </message>
    <message>
        <source>Export plot image</source>
        <translation>导出图像</translation>
    </message>
    <message>
        <source>Panel</source>
        <translation>面板</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Cannot export the image</source>
        <translation>无法导出图像</translation>
    </message>
    <message>
        <source>Cannot continue the run</source>
        <translation>无法继续该运行</translation>
    </message>
    <message>
        <source>Continue Training Here</source>
        <translation>在此继续训练</translation>
    </message>
    <message>
        <source>Stop the current run and continue {0} here? The current run stays in the Runs table.</source>
        <translation>停止当前运行并在此继续 {0}？当前运行会保留在“运行”表中。</translation>
    </message>
    <message>
        <source>Continue Here</source>
        <translation>在此继续</translation>
    </message>
    <message>
        <source>Continue run {0}</source>
        <translation>继续运行 {0}</translation>
    </message>
    <message>
        <source>Continuing {0}: Train goes on from its last epoch.</source>
        <translation>正在继续 {0}：训练将从它的最后一轮接着进行。</translation>
    </message>
</context>
<context>
    <name>LabPanel</name>
    <message>
        <source>Worked example</source>
        <translation>例题</translation>
    </message>
    <message>
        <source>Fill in a worked example from the notes</source>
        <translation>填入笔记中的一道例题</translation>
    </message>
    <message>
        <source>Worked examples from the notes…</source>
        <translation>笔记中的例题…</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目标值</translation>
    </message>
    <message>
        <source>y_true: one row per sample, e.g. [[0, 1, 0], [0, 0, 1]], 0 1 0; 0 0 1, or class indices 1 2 for sparse</source>
        <translation>y_true：每个样本一行，例如 [[0, 1, 0], [0, 0, 1]]、0 1 0; 0 0 1，稀疏形式则写类别索引 1 2</translation>
    </message>
    <message>
        <source>Predictions</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>y_pred: the model&apos;s outputs, shaped like the targets (one column per class)</source>
        <translation>y_pred：模型的输出，形状与目标值相同（每个类别一列）</translation>
    </message>
    <message>
        <source>Predictions are logits (from_logits=True)</source>
        <translation>预测值是 logits (from_logits=True)</translation>
    </message>
    <message>
        <source>Predictions are logits</source>
        <translation>预测值是 logits</translation>
    </message>
    <message>
        <source>Raw scores before sigmoid/softmax: the cross-entropies then take from_logits=True</source>
        <translation>sigmoid/softmax 之前的原始分数：交叉熵此时使用 from_logits=True</translation>
    </message>
    <message>
        <source>Lab input problem</source>
        <translation>实验室输入有误</translation>
    </message>
    <message>
        <source>What the notes printed</source>
        <translation>笔记中打印的结果</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>The selected loss: formula and Keras call</source>
        <translation>选中的损失函数：公式和 Keras 调用</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Activation formula</source>
        <translation>激活函数公式</translation>
    </message>
    <message>
        <source>Targets (y_true)</source>
        <translation>目标值 (y_true)</translation>
    </message>
    <message>
        <source>Predictions (y_pred)</source>
        <translation>预测值 (y_pred)</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>The notes printed {0} for {1}.</source>
        <translation>笔记中{1}打印的结果是 {0}。</translation>
    </message>
    <message>
        <source>Select a loss to see its formula and Keras call.</source>
        <translation>选中一个损失函数，查看它的公式和 Keras 调用。</translation>
    </message>
    <message>
        <source>range {0}. {1}</source>
        <translation>值域 {0}。{1}</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language changes the next time Playground starts.</source>
        <translation>界面语言将在下次启动 Playground 时切换。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>LayerRow</name>
    <message>
        <source>Kernel L1</source>
        <translation>权重 L1</translation>
    </message>
    <message>
        <source>Kernel L2</source>
        <translation>权重 L2</translation>
    </message>
    <message>
        <source>Bias L1</source>
        <translation>偏置 L1</translation>
    </message>
    <message>
        <source>Bias L2</source>
        <translation>偏置 L2</translation>
    </message>
    <message>
        <source>Drag to reorder</source>
        <translation>拖动以调整顺序</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>神经元数</translation>
    </message>
    <message>
        <source>Number of units (neurons) in this layer</source>
        <translation>这一层的单元（神经元）个数</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>More options</source>
        <translation>更多选项</translation>
    </message>
    <message>
        <source>Initializer, L1/L2 regularization, dropout and bias</source>
        <translation>初始化方法、L1/L2 正则化、Dropout 和偏置</translation>
    </message>
    <message>
        <source>Kernel initializer</source>
        <translation>权重初始化方法</translation>
    </message>
    <message>
        <source>Initializer</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>{0} regularization factor (0: off); adds it times {1} to the loss</source>
        <translation>{0} 正则化系数（0：关闭）；把它乘以 {1} 加到损失函数上</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <source>Share of this layer&apos;s outputs set to zero at random while training</source>
        <translation>训练时这一层输出中被随机置零的比例</translation>
    </message>
    <message>
        <source>Use bias</source>
        <translation>使用偏置</translation>
    </message>
    <message>
        <source>Add a trainable bias b to x·W</source>
        <translation>在 x·W 上加一个可训练的偏置 b</translation>
    </message>
    <message>
        <source>Hidden {0}</source>
        <translation>隐藏层 {0}</translation>
    </message>
    <message>
        <source>Hidden layer {0}</source>
        <translation>隐藏层 {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Train / pause / resume</source>
        <translation>训练 / 暂停 / 继续</translation>
    </message>
    <message>
        <source>Stop training</source>
        <translation>停止训练</translation>
    </message>
    <message>
        <source>Step one epoch (Shift+click Step: one batch)</source>
        <translation>单步训练一轮（按住 Shift 点击“单步”：一个批次）</translation>
    </message>
    <message>
        <source>Step one batch</source>
        <translation>单步训练一个批次</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Loading TensorFlow…</source>
        <translation>正在加载 TensorFlow…</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Loss &amp;&amp; Activation Lab</source>
        <translation>损失函数与激活函数实验室</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new experiment</source>
        <translation>开始一个新实验</translation>
    </message>
    <message>
        <source>&amp;Open experiment…</source>
        <translation>打开实验(&amp;O)…</translation>
    </message>
    <message>
        <source>Open an experiment file</source>
        <translation>打开实验文件</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the experiment</source>
        <translation>保存实验</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the experiment under a new name</source>
        <translation>用新名字保存实验</translation>
    </message>
    <message>
        <source>Export &amp;weights…</source>
        <translation>导出权重(&amp;W)…</translation>
    </message>
    <message>
        <source>Save the model&apos;s weights (.weights.h5)</source>
        <translation>保存模型的权重 (.weights.h5)</translation>
    </message>
    <message>
        <source>Export &amp;model (.keras)…</source>
        <translation>导出模型(&amp;M) (.keras)…</translation>
    </message>
    <message>
        <source>Save the whole model: architecture, weights and optimizer</source>
        <translation>保存整个模型：结构、权重和优化器</translation>
    </message>
    <message>
        <source>Export Saved&amp;Model…</source>
        <translation>导出 Saved&amp;Model…</translation>
    </message>
    <message>
        <source>Export a TensorFlow SavedModel folder (for serving)</source>
        <translation>导出 TensorFlow SavedModel 文件夹（用于部署）</translation>
    </message>
    <message>
        <source>Export &amp;history CSV…</source>
        <translation>导出训练历史 CSV(&amp;H)…</translation>
    </message>
    <message>
        <source>Save the per-epoch loss and metrics as CSV</source>
        <translation>把每一轮的损失和指标保存为 CSV</translation>
    </message>
    <message>
        <source>Export &amp;Python Code…</source>
        <translation>导出 Python 代码(&amp;P)…</translation>
    </message>
    <message>
        <source>Write the experiment as a Python file that trains on its own (keras.Sequential, functional API or keras.Model subclass)</source>
        <translation>把实验写成可独立训练的 Python 文件（keras.Sequential、函数式 API 或 keras.Model 子类）</translation>
    </message>
    <message>
        <source>Export plot &amp;image…</source>
        <translation>导出图像(&amp;I)…</translation>
    </message>
    <message>
        <source>Save a panel or the whole window as a PNG image</source>
        <translation>把一个面板或整个窗口保存为 PNG 图像</translation>
    </message>
    <message>
        <source>&amp;Load weights…</source>
        <translation>加载权重(&amp;L)…</translation>
    </message>
    <message>
        <source>Load weights saved from a model of the same architecture</source>
        <translation>加载由相同结构的模型保存的权重</translation>
    </message>
    <message>
        <source>Save R&amp;un…</source>
        <translation>保存运行(&amp;U)…</translation>
    </message>
    <message>
        <source>Save the selected (or current) run as a folder: experiment, model, weights and history</source>
        <translation>将选中的(或当前的)运行保存为文件夹：实验、模型、权重和历史</translation>
    </message>
    <message>
        <source>Open Ru&amp;n…</source>
        <translation>打开运行(&amp;N)…</translation>
    </message>
    <message>
        <source>Open a saved run folder to compare its curves (Runs panel)</source>
        <translation>打开已保存的运行文件夹，比较其曲线（运行记录面板）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Step one &amp;epoch</source>
        <translation>单步训练一轮(&amp;E)</translation>
    </message>
    <message>
        <source>Step one &amp;batch</source>
        <translation>单步训练一个批次(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Reset weights</source>
        <translation>重置权重(&amp;R)</translation>
    </message>
    <message>
        <source>Draw new initial weights</source>
        <translation>重新生成初始权重</translation>
    </message>
    <message>
        <source>Reset &amp;layout</source>
        <translation>重置布局(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Playground</source>
        <translation>关于 Playground(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open E&amp;xample</source>
        <translation>打开示例(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Keep Trained Weights Where Shapes Match</source>
        <translation>形状相同时保留已训练的权重(&amp;K)</translation>
    </message>
    <message>
        <source>A new model (after an edit of the network) starts from the trained weights of every layer whose shape is unchanged</source>
        <translation>修改网络后新建的模型，对形状未变的每一层沿用已训练的权重</translation>
    </message>
    <message>
        <source>Log Runs to &amp;TensorBoard…</source>
        <translation>将运行记录到 TensorBoard(&amp;T)…</translation>
    </message>
    <message>
        <source>S&amp;weep…</source>
        <translation>扫描(&amp;W)…</translation>
    </message>
    <message>
        <source>Train many runs of this experiment with settings changed, outside the window: on this machine&apos;s cores or a Ray cluster</source>
        <translation>在窗口之外，以改变的设置训练本实验的多次运行：使用本机的各个核心或 Ray 集群</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Cannot use this data set</source>
        <translation>无法使用这个数据集</translation>
    </message>
    <message>
        <source>Epoch {0}</source>
        <translation>第 {0} 轮</translation>
    </message>
    <message>
        <source>{0:,.0f} samples/s</source>
        <translation>{0:,.0f} 样本/秒</translation>
    </message>
    <message>
        <source>&amp;Undo {0}</source>
        <translation>撤销(&amp;U) {0}</translation>
    </message>
    <message>
        <source>&amp;Redo {0}</source>
        <translation>重做(&amp;R) {0}</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About Playground</source>
        <translation>关于 Playground</translation>
    </message>
    <message>
        <source>&lt;b&gt;Playground&lt;/b&gt;: build a neural network point-and-click and watch a real Keras model learn, live. Everything you build exports to Keras&apos; own formats.</source>
        <translation>&lt;b&gt;Playground&lt;/b&gt;：用鼠标点选搭建神经网络，实时观察一个真正的 Keras 模型如何学习。你搭建的一切都能导出为 Keras 自己的格式。</translation>
    </message>
    <message>
        <source>A sweep is running</source>
        <translation>扫描正在运行</translation>
    </message>
    <message>
        <source>Stop the sweep and quit? Its finished runs are kept in its folder; running the same sweep again goes on from them.</source>
        <translation>停止扫描并退出？已完成的运行会保留在它的文件夹中；再次运行同一扫描会从它们接着进行。</translation>
    </message>
    <message>
        <source>Stop and Quit</source>
        <translation>停止并退出</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Normalize inputs</source>
        <translation>标准化输入</translation>
    </message>
    <message>
        <source>A Normalization layer first, adapted to the training data: each feature is shifted and scaled to mean 0 and variance 1</source>
        <translation>最前面加一个根据训练数据 adapt 的 Normalization 层：把每个特征平移、缩放到均值 0、方差 1</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>The hidden Dense layers, input side first; drag to reorder</source>
        <translation>隐藏的 Dense 层，靠近输入的在前；拖动可调整顺序</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add layer</source>
        <translation>添加层</translation>
    </message>
    <message>
        <source>Add a hidden layer after the selected one</source>
        <translation>在选中的层后面添加一个隐藏层</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove layer</source>
        <translation>删除层</translation>
    </message>
    <message>
        <source>Remove the selected hidden layer</source>
        <translation>删除选中的隐藏层</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Duplicate layer</source>
        <translation>复制层</translation>
    </message>
    <message>
        <source>Copy the selected hidden layer</source>
        <translation>复制选中的隐藏层</translation>
    </message>
    <message>
        <source>Move layer up</source>
        <translation>上移层</translation>
    </message>
    <message>
        <source>Move the selected layer up</source>
        <translation>把选中的层上移</translation>
    </message>
    <message>
        <source>Move layer down</source>
        <translation>下移层</translation>
    </message>
    <message>
        <source>Move the selected layer down</source>
        <translation>把选中的层下移</translation>
    </message>
    <message>
        <source>Output activation</source>
        <translation>输出层激活函数</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Scale targets</source>
        <translation>缩放目标值</translation>
    </message>
    <message>
        <source>Regression: train on the targets standardized with the training data&apos;s mean and standard deviation; a last Rescaling layer gives predictions, MAE and exports in the targets&apos; own units</source>
        <translation>回归：用训练数据的均值和标准差将目标值标准化后训练；最后一个 Rescaling 层使预测、MAE 和导出的模型都回到目标值本身的单位</translation>
    </message>
    <message>
        <source>Model summary</source>
        <translation>模型概要</translation>
    </message>
    <message>
        <source>The layers Keras builds, with their parameter counts (like model.summary())</source>
        <translation>Keras 构建的各层及其参数个数（与 model.summary() 相同）</translation>
    </message>
    <message>
        <source>Layer (type)</source>
        <translation>层（类型）</translation>
    </message>
    <message>
        <source>Param #</source>
        <translation>参数个数</translation>
    </message>
    <message>
        <source>Input: —</source>
        <translation>输入：—</translation>
    </message>
    <message>
        <source>Input: {0} features</source>
        <translation>输入：{0} 个特征</translation>
    </message>
    <message>
        <source>Input: {0} feature</source>
        <translation>输入：{0} 个特征</translation>
    </message>
    <message>
        <source>{0} units</source>
        <translation>{0} 个神经元</translation>
    </message>
    <message>
        <source>{0} unit</source>
        <translation>{0} 个神经元</translation>
    </message>
    <message>
        <source>Fixed by the data set: one unit per class for multi-class classification, else one</source>
        <translation>由数据集决定：多分类时每个类别一个神经元，否则一个</translation>
    </message>
    <message>
        <source>Auto ({0})</source>
        <translation>自动（{0}）</translation>
    </message>
    <message>
        <source>Total params: &lt;b&gt;{0:,}&lt;/b&gt; (trainable {1:,}, non-trainable {2:,})</source>
        <translation>参数总数：&lt;b&gt;{0:,}&lt;/b&gt;（可训练 {1:,}，不可训练 {2:,}）</translation>
    </message>
    <message>
        <source>Remove hidden layer {0}</source>
        <translation>删除隐藏层 {0}</translation>
    </message>
    <message>
        <source>Duplicate hidden layer {0}</source>
        <translation>复制隐藏层 {0}</translation>
    </message>
    <message>
        <source>Move hidden layer {0}</source>
        <translation>移动隐藏层 {0}</translation>
    </message>
    <message>
        <source>Change {0} of hidden layer {1}</source>
        <translation>修改隐藏层 {1} 的 {0}</translation>
    </message>
    <message>
        <source>Don&apos;t normalize inputs</source>
        <translation>不标准化输入</translation>
    </message>
    <message>
        <source>Don&apos;t scale targets</source>
        <translation>不缩放目标值</translation>
    </message>
    <message>
        <source>Change output activation</source>
        <translation>修改输出层激活函数</translation>
    </message>
</context>
<context>
    <name>NetworkView</name>
    <message>
        <source>Network diagram</source>
        <translation>网络结构图</translation>
    </message>
    <message>
        <source>Choose a data set to see the network.</source>
        <translation>选择一个数据集来查看网络。</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>{0} features</source>
        <translation>{0} 个特征</translation>
    </message>
    <message>
        <source>{0} feature</source>
        <translation>{0} 个特征</translation>
    </message>
    <message>
        <source>{0} units</source>
        <translation>{0} 个神经元</translation>
    </message>
    <message>
        <source>{0} unit</source>
        <translation>{0} 个神经元</translation>
    </message>
    <message>
        <source>links: orange negative, blue positive; width ∝ |weight|</source>
        <translation>连线：橙色为负，蓝色为正；粗细 ∝ |权重|</translation>
    </message>
    <message>
        <source>{0} unit {1}</source>
        <translation>{0} 的第 {1} 个神经元</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>{0} → {1}
weight {2}
(kernel[{3}, {4}] of {5})</source>
        <translation>{0} → {1}
权重 {2}
（{5} 的 kernel[{3}, {4}]）</translation>
    </message>
    <message>
        <source>click to edit</source>
        <translation>单击可编辑</translation>
    </message>
    <message>
        <source>input {0}: {1}</source>
        <translation>输入 {0}：{1}</translation>
    </message>
    <message>
        <source>none (use_bias is off)</source>
        <translation>无（use_bias 已关闭）</translation>
    </message>
    <message>
        <source>{0}
bias {1}</source>
        <translation>{0}
偏置 {1}</translation>
    </message>
    <message>
        <source>New weight of {0} → {1}; Enter applies it, Escape cancels.</source>
        <translation>{0} → {1} 的新权重；按 Enter 应用，按 Escape 取消。</translation>
    </message>
    <message>
        <source>{0} is not a number: type a weight such as -0.25.</source>
        <translation>{0} 不是数字：请输入一个权重，例如 -0.25。</translation>
    </message>
</context>
<context>
    <name>OutputView</name>
    <message>
        <source>class {0}</source>
        <translation>类别 {0}</translation>
    </message>
    <message>
        <source>Most likely class</source>
        <translation>最可能的类别</translation>
    </message>
    <message>
        <source>Predicted {0}</source>
        <translation>预测的 {0}</translation>
    </message>
    <message>
        <source>Model output</source>
        <translation>模型输出</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>Train to see the test set&apos;s confusion matrix.</source>
        <translation>开始训练后可看到测试集的混淆矩阵。</translation>
    </message>
    <message>
        <source>Predicted vs true</source>
        <translation>预测值与真实值</translation>
    </message>
    <message>
        <source>true value</source>
        <translation>真实值</translation>
    </message>
    <message>
        <source>predicted value</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>Train to see the test set&apos;s predictions.</source>
        <translation>开始训练后可看到测试集的预测。</translation>
    </message>
    <message>
        <source>Show test data</source>
        <translation>显示测试集</translation>
    </message>
    <message>
        <source>Draw the test points (dark outline) as well as the training points.</source>
        <translation>除训练集的点外，也画出测试集的点（深色描边）。</translation>
    </message>
    <message>
        <source>Discretize output</source>
        <translation>离散化输出</translation>
    </message>
    <message>
        <source>Show only the decisions: each point of the plane in its likelier class&apos;s colour, each neuron map by its sign (TensorFlow Playground&apos;s option).</source>
        <translation>只显示决策：平面上每个点涂成更可能的类别的颜色，每个神经元的图按正负着色（TensorFlow Playground 的同名选项）。</translation>
    </message>
    <message>
        <source>Show the model&apos;s output again instead of the neuron&apos;s map.</source>
        <translation>重新显示模型输出，而不是这个神经元的图。</translation>
    </message>
    <message>
        <source>Choose a data set to see the model&apos;s output.</source>
        <translation>选择一个数据集来查看模型输出。</translation>
    </message>
    <message>
        <source>true {0}</source>
        <translation>真实的 {0}</translation>
    </message>
    <message>
        <source>predicted {0}</source>
        <translation>预测的 {0}</translation>
    </message>
    <message>
        <source>+{0} more</source>
        <translation>另有 {0} 个</translation>
    </message>
    <message>
        <source>Train, or press Step, to see the model&apos;s output.</source>
        <translation>点击“训练”或“单步”来查看模型输出。</translation>
    </message>
    <message>
        <source>{0} at epoch {1}</source>
        <translation>第 {1} 轮的{0}</translation>
    </message>
    <message>
        <source>Confusion matrix (test set)</source>
        <translation>混淆矩阵（测试集）</translation>
    </message>
    <message>
        <source>Predicted vs true (test set)</source>
        <translation>预测值与真实值（测试集）</translation>
    </message>
    <message>
        <source>Test set: MAE {0:.4g} at epoch {1}</source>
        <translation>测试集：第 {1} 轮 MAE {0:.4g}</translation>
    </message>
    <message>
        <source>Test set: accuracy {0:.1%} at epoch {1}</source>
        <translation>测试集：第 {1} 轮准确率 {0:.1%}</translation>
    </message>
</context>
<context>
    <name>ProblemsLabel</name>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <source>Loading TensorFlow…</source>
        <translation>正在加载 TensorFlow…</translation>
    </message>
    <message>
        <source>Fix the problems shown first.</source>
        <translation>请先解决所显示的问题。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>{0} (Space)</source>
        <translation>{0}（空格键）</translation>
    </message>
    <message>
        <source>Train one epoch (Ctrl+T); Shift+click: one batch</source>
        <translation>训练一轮 (Ctrl+T)；按住 Shift 点击：一个批次</translation>
    </message>
    <message>
        <source>Draw new initial weights (same architecture) and clear the history (Ctrl+R)</source>
        <translation>重新生成初始权重（结构不变）并清空训练历史 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Change epochs</source>
        <translation>修改轮数</translation>
    </message>
    <message>
        <source>Epoch {0} reached: training {1} epochs more, to epoch {2}.</source>
        <translation>已到第 {0} 轮：再训练 {1} 轮，到第 {2} 轮。</translation>
    </message>
    <message>
        <source>New initial weights drawn.</source>
        <translation>已重新生成初始权重。</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>What differs (this → current)</source>
        <translation>不同之处（此运行 → 当前）</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Test loss</source>
        <translation>测试损失</translation>
    </message>
    <message>
        <source>Test metric</source>
        <translation>测试指标</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Draw this run faintly on the Curves panel</source>
        <translation>在曲线面板上以淡色绘制此运行</translation>
    </message>
    <message>
        <source>The training loss at the last epoch</source>
        <translation>最后一轮的训练损失</translation>
    </message>
    <message>
        <source>Accuracy (classification) or mean absolute error (regression) at the last epoch</source>
        <translation>最后一轮的准确率（分类）或平均绝对误差（回归）</translation>
    </message>
    <message>
        <source>The settings that changed from this run to the current one</source>
        <translation>从此运行到当前运行改变了的设置</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Type a new name for the selected run (F2)</source>
        <translation>为选中的运行输入新名称 (F2)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Forget the selected run</source>
        <translation>移除选中的运行</translation>
    </message>
    <message>
        <source>Save Run…</source>
        <translation>保存运行…</translation>
    </message>
    <message>
        <source>Save the selected run as a folder: experiment, model, weights and history (python main.py train --resume continues it)</source>
        <translation>将选中的运行保存为文件夹：实验、模型、权重和历史（python main.py train --resume 可继续训练）</translation>
    </message>
    <message>
        <source>Open Run…</source>
        <translation>打开运行…</translation>
    </message>
    <message>
        <source>Open a saved run folder to compare its curves</source>
        <translation>打开已保存的运行文件夹，比较其曲线</translation>
    </message>
    <message>
        <source>Export Table as CSV…</source>
        <translation>将表格导出为 CSV…</translation>
    </message>
    <message>
        <source>Save this table as a CSV file</source>
        <translation>将此表格保存为 CSV 文件</translation>
    </message>
    <message>
        <source>The current run: the bold lines on the Curves panel</source>
        <translation>当前运行：曲线面板上的粗线</translation>
    </message>
    <message>
        <source>Not comparable with the current run ({0}): only runs on the same data and target can be drawn with it</source>
        <translation>与当前运行不可比（{0}）：只有相同数据和目标的运行才能与它画在一起</translation>
    </message>
    <message>
        <source>Saved in {0}. Double-click the row to continue training it here.</source>
        <translation>保存在 {0}。双击该行即可在此继续训练它。</translation>
    </message>
    <message>
        <source>Live edits:
{0}</source>
        <translation>训练中的修改：
{0}</translation>
    </message>
    <message>
        <source>(current)</source>
        <translation>（当前）</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>mean absolute error</source>
        <translation>平均绝对误差</translation>
    </message>
    <message>
        <source>{0:.1f} s</source>
        <translation>{0:.1f} 秒</translation>
    </message>
    <message>
        <source>Save Run</source>
        <translation>保存运行</translation>
    </message>
    <message>
        <source>There is no run to save yet: train for an epoch first.</source>
        <translation>还没有可保存的运行：请先训练一轮。</translation>
    </message>
    <message>
        <source>Open Run (its experiment.json)</source>
        <translation>打开运行（其 experiment.json）</translation>
    </message>
    <message>
        <source>Run folder (experiment.json);;All files (*)</source>
        <translation>运行文件夹 (experiment.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>无法打开运行</translation>
    </message>
    <message>
        <source>Export Table as CSV</source>
        <translation>将表格导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot export the table</source>
        <translation>无法导出表格</translation>
    </message>
    <message>
        <source>Show on Curves</source>
        <translation>在曲线上显示</translation>
    </message>
    <message>
        <source>Continue Training Here</source>
        <translation>在此继续训练</translation>
    </message>
    <message>
        <source>Make this saved run the current model: its experiment, weights, optimizer state and history; Train goes on from its last epoch</source>
        <translation>把这个已保存的运行设为当前模型：它的实验、权重、优化器状态和历史；训练将从它的最后一轮接着进行</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <source>Sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Values: a, b, c or lin:FROM:TO:COUNT or log:FROM:TO:COUNT</source>
        <translation>取值：a, b, c 或 lin:起点:终点:个数 或 log:起点:终点:个数</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Ray cluster</source>
        <translation>Ray 集群</translation>
    </message>
    <message>
        <source>A Ray cluster&apos;s address, auto (the one this machine belongs to) or local (start one here); needs {0}</source>
        <translation>Ray 集群的地址，auto（本机所属的集群）或 local（在本机启动一个）；需要 {0}</translation>
    </message>
    <message>
        <source>Repeats (seeds) per point</source>
        <translation>每个点的重复次数（种子）</translation>
    </message>
    <message>
        <source>Epochs per run</source>
        <translation>每次运行的轮数</translation>
    </message>
    <message>
        <source>workers</source>
        <translation>个进程</translation>
    </message>
    <message>
        <source>Ray address</source>
        <translation>Ray 地址</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>运行位置</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Checking the settings and starting the workers…</source>
        <translation>正在检查设置并启动工作进程…</translation>
    </message>
    <message>
        <source>Stopping: the runs under way end, the finished ones are kept…</source>
        <translation>正在停止：进行中的运行将结束，已完成的运行会保留…</translation>
    </message>
    <message>
        <source> ({0} done before, skipped)</source>
        <translation>（{0} 次之前已完成，已跳过）</translation>
    </message>
    <message>
        <source>Sweep of {0} runs on {1}{2}.</source>
        <translation>扫描共 {0} 次运行，在 {1} 上{2}。</translation>
    </message>
    <message>
        <source>{0} of {1} runs done; the last: {2}.</source>
        <translation>已完成 {0}/{1} 次运行；最近一次：{2}。</translation>
    </message>
    <message>
        <source>Run {0} ({1}) failed: {2}</source>
        <translation>运行 {0}（{1}）失败：{2}</translation>
    </message>
    <message>
        <source>The sweep was refused.</source>
        <translation>扫描被拒绝。</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Sweep {0}: {1} runs in {2}; the best: {3}.</source>
        <translation>扫描{0}：{1} 次运行，用时 {2}；最佳：{3}。</translation>
    </message>
    <message>
        <source>The sweep ended (exit status {0}): {1}</source>
        <translation>扫描已结束（退出状态 {0}）：{1}</translation>
    </message>
</context>
<context>
    <name>SweepView</name>
    <message>
        <source>Sweep: the final test figure against each swept setting</source>
        <translation>扫描：最终测试指标与每个扫描设置的关系</translation>
    </message>
    <message>
        <source>No finished runs yet</source>
        <translation>尚无已完成的运行</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>The optimizer&apos;s step size η</source>
        <translation>优化器的步长 η</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>SGD&apos;s momentum μ (0: none)</source>
        <translation>SGD 的动量 μ（0：不用动量）</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>Evaluate the gradient one momentum step ahead</source>
        <translation>在沿动量前进一步的位置计算梯度</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>AdamW&apos;s decoupled weight decay λ</source>
        <translation>AdamW 的解耦权重衰减 λ</translation>
    </message>
    <message>
        <source>Learning rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Decay steps</source>
        <translation>衰减步数</translation>
    </message>
    <message>
        <source>Optimizer steps (batches) over which the schedule decays</source>
        <translation>学习率在多少个优化步（批次）内衰减</translation>
    </message>
    <message>
        <source>Decay rate</source>
        <translation>衰减率</translation>
    </message>
    <message>
        <source>Factor applied every decay_steps steps (exponential decay)</source>
        <translation>每 decay_steps 步乘上的系数（指数衰减）</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Examples per optimizer step (batch_size)</source>
        <translation>每个优化步使用的样本数 (batch_size)</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Passes over the training data per run; Train again for as many more</source>
        <translation>每次训练遍历训练集的轮数 (epochs)；再点“训练”就再训练这么多轮</translation>
    </message>
    <message>
        <source>Training seed</source>
        <translation>训练随机种子</translation>
    </message>
    <message>
        <source>Seed of the initial weights, dropout and shuffling</source>
        <translation>初始权重、Dropout 和打乱顺序所用的随机种子</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Auto picks the GPU only for networks big enough to gain from it</source>
        <translation>自动：只有网络大到能从 GPU 获益时才用 GPU</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Steps, rate</source>
        <translation>步数、衰减率</translation>
    </message>
    <message>
        <source>Batch, epochs</source>
        <translation>批大小、轮数</translation>
    </message>
    <message>
        <source>Seed, device</source>
        <translation>种子、设备</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training (the weights are kept)</source>
        <translation>停止训练（保留权重）</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Train one epoch; Shift+click: one batch</source>
        <translation>训练一轮；按住 Shift 点击：一个批次</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Reset weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <source>Draw new initial weights (same architecture) and clear the history</source>
        <translation>重新生成初始权重（结构不变）并清空训练历史</translation>
    </message>
    <message>
        <source>Training progress</source>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>Change loss</source>
        <translation>修改损失函数</translation>
    </message>
    <message>
        <source>Change optimizer</source>
        <translation>修改优化器</translation>
    </message>
    <message>
        <source>Change learning rate</source>
        <translation>修改学习率</translation>
    </message>
    <message>
        <source>Change momentum</source>
        <translation>修改动量</translation>
    </message>
    <message>
        <source>Toggle Nesterov</source>
        <translation>切换 Nesterov</translation>
    </message>
    <message>
        <source>Change weight decay</source>
        <translation>修改权重衰减</translation>
    </message>
    <message>
        <source>Change schedule</source>
        <translation>修改学习率调度</translation>
    </message>
    <message>
        <source>Change decay steps</source>
        <translation>修改衰减步数</translation>
    </message>
    <message>
        <source>Change decay rate</source>
        <translation>修改衰减率</translation>
    </message>
    <message>
        <source>Change batch size</source>
        <translation>修改批大小</translation>
    </message>
    <message>
        <source>Change epochs</source>
        <translation>修改轮数</translation>
    </message>
    <message>
        <source>Change training seed</source>
        <translation>修改训练随机种子</translation>
    </message>
    <message>
        <source>Change device</source>
        <translation>修改设备</translation>
    </message>
    <message>
        <source>Auto ({0})</source>
        <translation>自动（{0}）</translation>
    </message>
    <message>
        <source>The optimizer&apos;s step size η ({0}&apos;s usual value: {1:g})</source>
        <translation>优化器的步长 η（{0} 的常用值：{1:g}）</translation>
    </message>
</context>
<context>
    <name>WeightsView</name>
    <message>
        <source>Weight histograms</source>
        <translation>权重直方图</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>权重 (kernel)</translation>
    </message>
    <message>
        <source>The layer&apos;s weight matrix (Keras: layer.kernel).</source>
        <translation>这一层的权重矩阵（Keras：layer.kernel）。</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>偏置 (bias)</translation>
    </message>
    <message>
        <source>The layer&apos;s bias vector (Keras: layer.bias).</source>
        <translation>这一层的偏置向量（Keras：layer.bias）。</translation>
    </message>
    <message>
        <source>The shown tensor at the last epoch of its history: mean, standard deviation, smallest and largest value. For a hidden ReLU layer, its dead units: those that output 0 for every training sample, so their weights get no gradient and stop learning.</source>
        <translation>所显示张量在历史中最后一轮的均值、标准差、最小值和最大值。对 ReLU 隐藏层还显示“死亡”神经元：对每个训练样本都输出 0 的神经元，它们的权重得不到梯度，不再学习。</translation>
    </message>
    <message>
        <source>Latest histogram</source>
        <translation>最新直方图</translation>
    </message>
    <message>
        <source>weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>count</source>
        <translation>个数</translation>
    </message>
    <message>
        <source>Weight histograms appear when the model is built.</source>
        <translation>模型构建好后会显示权重直方图。</translation>
    </message>
    <message>
        <source>Histograms by epoch</source>
        <translation>各轮的直方图</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Each recorded epoch becomes a column here.</source>
        <translation>每个记录下来的轮次在这里成为一列。</translation>
    </message>
    <message>
        <source>Distribution by epoch</source>
        <translation>各轮的分布</translation>
    </message>
    <message>
        <source>Percentile bands over the epochs appear here.</source>
        <translation>各轮的百分位带会显示在这里。</translation>
    </message>
    <message>
        <source>TensorBoard&apos;s distributions: the darkest band holds the middle 38% of the weights (±½σ of a normal distribution), then 68% (±1σ), 87% (±1½σ) and all of them; the line is the median.</source>
        <translation>TensorBoard 的分布图：最深的带包含中间 38% 的权重（正态分布的 ±½σ），然后是 68% (±1σ)、87% (±1½σ) 和全部权重；线是中位数。</translation>
    </message>
    <message>
        <source>Histograms</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>{0} {1} at epoch {2}</source>
        <translation>第 {2} 轮 {0} 的 {1}</translation>
    </message>
    <message>
        <source>{0} value</source>
        <translation>{0} 值</translation>
    </message>
    <message>
        <source>{0} {1} by epoch (colour: count)</source>
        <translation>{0} 的 {1}，按轮次（颜色：个数）</translation>
    </message>
    <message>
        <source>{0} {1} percentiles by epoch</source>
        <translation>{0} 的 {1} 百分位，按轮次</translation>
    </message>
    <message>
        <source>epoch {0} · mean {1:.4g} · std {2:.4g} · min {3:.4g} · max {4:.4g}</source>
        <translation>第 {0} 轮 · 均值 {1:.4g} · 标准差 {2:.4g} · 最小 {3:.4g} · 最大 {4:.4g}</translation>
    </message>
    <message>
        <source> · dead ReLUs {0} of {1}</source>
        <translation> · 死亡 ReLU {1} 个中 {0} 个</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>Loading TensorFlow</source>
        <translation>加载 TensorFlow</translation>
    </message>
    <message>
        <source>Building the model</source>
        <translation>构建模型</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Resetting the weights</source>
        <translation>重置权重</translation>
    </message>
    <message>
        <source>Exporting the weights to</source>
        <translation>导出权重到</translation>
    </message>
    <message>
        <source>Exporting the model to</source>
        <translation>导出模型到</translation>
    </message>
    <message>
        <source>Exporting a SavedModel to</source>
        <translation>导出 SavedModel 到</translation>
    </message>
    <message>
        <source>Exporting the training history to</source>
        <translation>导出训练历史到</translation>
    </message>
    <message>
        <source>Loading the weights from</source>
        <translation>加载权重自</translation>
    </message>
    <message>
        <source>Saving the run to</source>
        <translation>正在保存运行到</translation>
    </message>
    <message>
        <source>Exporting Python code to</source>
        <translation>导出 Python 代码到</translation>
    </message>
    <message>
        <source>Predicting</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Continuing the saved run</source>
        <translation>继续已保存的运行</translation>
    </message>
</context>
<context>
    <name>_WeightEditor</name>
    <message>
        <source>Weight of the link</source>
        <translation>连线的权重</translation>
    </message>
</context>
<context>
    <name>catalog</name>
    <message>
        <source>No non-linearity: a stack of linear layers is still one linear map.</source>
        <translation>没有非线性：多个线性层叠起来仍然只是一个线性变换。</translation>
    </message>
    <message>
        <source>Cheap, with a steady gradient for x &gt; 0; the most widely used hidden activation.</source>
        <translation>计算简单，x &gt; 0 时梯度恒定；隐藏层最常用的激活函数。</translation>
    </message>
    <message>
        <source>Like ReLU but keeps a small slope for x &lt; 0, so units never stop learning.</source>
        <translation>与 ReLU 类似，但 x &lt; 0 时保留一个小斜率，神经元不会停止学习。</translation>
    </message>
    <message>
        <source>Smooth for x &lt; 0 and saturates at −1, pushing mean activations toward zero.</source>
        <translation>x &lt; 0 时平滑并饱和于 −1，使激活值的均值接近零。</translation>
    </message>
    <message>
        <source>Scaled ELU that keeps activations normalised in deep plain stacks (use lecun_normal).</source>
        <translation>缩放过的 ELU，在很深的普通网络中保持激活值的标准化（配合 lecun_normal 使用）。</translation>
    </message>
    <message>
        <source>Weights the input by the chance a standard normal is below it; used in Transformers.</source>
        <translation>用标准正态分布小于输入的概率给输入加权；Transformer 中常用。</translation>
    </message>
    <message>
        <source>Squashes to (0, 1), read as a probability; gradients vanish for large |x|.</source>
        <translation>压缩到 (0, 1)，可看作概率；|x| 很大时梯度消失。</translation>
    </message>
    <message>
        <source>A piecewise-linear, cheaper approximation of the sigmoid.</source>
        <translation>sigmoid 的分段线性近似，计算更省。</translation>
    </message>
    <message>
        <source>Squashes to (−1, 1) and is centred on zero; TensorFlow Playground&apos;s default.</source>
        <translation>压缩到 (−1, 1)，以零为中心；TensorFlow Playground 的默认激活函数。</translation>
    </message>
    <message>
        <source>Turns K scores into K probabilities that sum to 1; for the output of a multi-class model.</source>
        <translation>把 K 个分数变成和为 1 的 K 个概率；用于多分类模型的输出层。</translation>
    </message>
    <message>
        <source>A smooth ReLU: always positive, with gradient sigmoid(x).</source>
        <translation>平滑版的 ReLU：始终为正，梯度为 sigmoid(x)。</translation>
    </message>
    <message>
        <source>Smooth and non-monotonic near zero; often a little better than ReLU in deep nets.</source>
        <translation>平滑，在零附近非单调；在深层网络中往往比 ReLU 略好。</translation>
    </message>
    <message>
        <source>Mean squared error (MSE)</source>
        <translation>均方误差 (MSE)</translation>
    </message>
    <message>
        <source>Squared distance between output and target; the usual loss for regression.</source>
        <translation>输出与目标之差的平方；回归任务常用的损失函数。</translation>
    </message>
    <message>
        <source>Mean absolute error (MAE)</source>
        <translation>平均绝对误差 (MAE)</translation>
    </message>
    <message>
        <source>Absolute distance: less swayed by outliers than MSE.</source>
        <translation>输出与目标之差的绝对值：比 MSE 更不易受异常值影响。</translation>
    </message>
    <message>
        <source>Huber</source>
        <translation>Huber</translation>
    </message>
    <message>
        <source>MSE near the target, MAE far from it: robust to outliers yet smooth.</source>
        <translation>靠近目标时是 MSE，远离时是 MAE：对异常值稳健又平滑。</translation>
    </message>
    <message>
        <source>Binary cross-entropy</source>
        <translation>二分类交叉熵</translation>
    </message>
    <message>
        <source>Cross-entropy for one probability; with a linear output the logits are used (from_logits=True).</source>
        <translation>针对一个概率的交叉熵；输出层为线性时按 logits 计算 (from_logits=True)。</translation>
    </message>
    <message>
        <source>Categorical cross-entropy</source>
        <translation>多分类交叉熵</translation>
    </message>
    <message>
        <source>Cross-entropy against one-hot targets; the output, scaled to sum to 1, is the distribution p.</source>
        <translation>针对独热编码目标的交叉熵；输出缩放到和为 1 后即为分布 p。</translation>
    </message>
    <message>
        <source>Sparse categorical cross-entropy</source>
        <translation>稀疏多分类交叉熵</translation>
    </message>
    <message>
        <source>The same cross-entropy, taking the class index instead of a one-hot vector.</source>
        <translation>同样的交叉熵，但目标是类别索引而不是独热向量。</translation>
    </message>
    <message>
        <source>Hinge</source>
        <translation>Hinge（合页损失）</translation>
    </message>
    <message>
        <source>The SVM margin loss: zero once a point is on the right side with margin 1.</source>
        <translation>SVM 的间隔损失：样本点在正确一侧且间隔达到 1 时为零。</translation>
    </message>
    <message>
        <source>KL divergence</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <source>How far the predicted distribution p is from the target y; equals cross-entropy minus H(y).</source>
        <translation>预测分布 p 与目标 y 相差多远；等于交叉熵减去 H(y)。</translation>
    </message>
    <message>
        <source>Plain gradient descent; momentum and Nesterov smooth and speed it up.</source>
        <translation>普通的梯度下降；动量和 Nesterov 能让它更平稳、更快。</translation>
    </message>
    <message>
        <source>Adaptive per-weight steps from running means of the gradient and its square.</source>
        <translation>根据梯度及其平方的滑动平均，为每个权重自适应地调整步长。</translation>
    </message>
    <message>
        <source>Adam with weight decay applied directly to the weights, not through the gradient.</source>
        <translation>带权重衰减的 Adam，衰减直接作用于权重，而不是通过梯度。</translation>
    </message>
    <message>
        <source>Divides each step by a running RMS of recent gradients.</source>
        <translation>每一步都除以近期梯度的滑动均方根。</translation>
    </message>
    <message>
        <source>Steps shrink for weights that have had large gradients; good for sparse features.</source>
        <translation>梯度一直较大的权重步长会变小；适合稀疏特征。</translation>
    </message>
    <message>
        <source>Adam whose momentum looks one step ahead, as Nesterov&apos;s does.</source>
        <translation>动量向前多看一步的 Adam，与 Nesterov 动量相同。</translation>
    </message>
    <message>
        <source>Glorot uniform</source>
        <translation>Glorot 均匀分布</translation>
    </message>
    <message>
        <source>Keras&apos; default: keeps the signal&apos;s variance steady for tanh and sigmoid layers.</source>
        <translation>Keras 的默认值：让 tanh 和 sigmoid 层中信号的方差保持稳定。</translation>
    </message>
    <message>
        <source>Glorot normal</source>
        <translation>Glorot 正态分布</translation>
    </message>
    <message>
        <source>The normal-distribution variant of Glorot.</source>
        <translation>Glorot 的正态分布版本。</translation>
    </message>
    <message>
        <source>He normal</source>
        <translation>He 正态分布</translation>
    </message>
    <message>
        <source>Scaled for ReLU layers, which zero half of their inputs.</source>
        <translation>为 ReLU 层缩放：ReLU 会把一半的输入变成零。</translation>
    </message>
    <message>
        <source>He uniform</source>
        <translation>He 均匀分布</translation>
    </message>
    <message>
        <source>The uniform variant of He.</source>
        <translation>He 的均匀分布版本。</translation>
    </message>
    <message>
        <source>LeCun normal</source>
        <translation>LeCun 正态分布</translation>
    </message>
    <message>
        <source>The initializer SELU expects.</source>
        <translation>SELU 所需要的初始化方法。</translation>
    </message>
    <message>
        <source>LeCun uniform</source>
        <translation>LeCun 均匀分布</translation>
    </message>
    <message>
        <source>The uniform variant of LeCun.</source>
        <translation>LeCun 的均匀分布版本。</translation>
    </message>
    <message>
        <source>Random normal</source>
        <translation>随机正态分布</translation>
    </message>
    <message>
        <source>Small normal noise, independent of layer size.</source>
        <translation>较小的正态噪声，与层的大小无关。</translation>
    </message>
    <message>
        <source>Random uniform</source>
        <translation>随机均匀分布</translation>
    </message>
    <message>
        <source>Small uniform noise, independent of layer size.</source>
        <translation>较小的均匀噪声，与层的大小无关。</translation>
    </message>
    <message>
        <source>Orthogonal</source>
        <translation>正交</translation>
    </message>
    <message>
        <source>An orthogonal matrix: preserves norms through the layer.</source>
        <translation>正交矩阵：经过这一层后范数不变。</translation>
    </message>
    <message>
        <source>Zeros</source>
        <translation>全零</translation>
    </message>
    <message>
        <source>All weights zero: every unit stays identical, so the layer cannot learn distinct features.</source>
        <translation>所有权重为零：每个神经元始终相同，这一层学不到不同的特征。</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>The same learning rate throughout.</source>
        <translation>始终使用同一个学习率。</translation>
    </message>
    <message>
        <source>Exponential decay</source>
        <translation>指数衰减</translation>
    </message>
    <message>
        <source>Shrinks the learning rate by a factor every decay_steps optimizer steps.</source>
        <translation>每经过 decay_steps 个优化步，把学习率乘以一个系数。</translation>
    </message>
    <message>
        <source>Cosine decay</source>
        <translation>余弦衰减</translation>
    </message>
    <message>
        <source>Lowers the learning rate along a half cosine to zero over decay_steps steps.</source>
        <translation>在 decay_steps 步内沿半个余弦曲线把学习率降到零。</translation>
    </message>
    <message>
        <source>binary classification</source>
        <translation>二分类</translation>
    </message>
    <message>
        <source>multi-class classification</source>
        <translation>多分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
</context>
<context>
    <name>datasets</name>
    <message>
        <source>Circle</source>
        <translation>圆形</translation>
    </message>
    <message>
        <source>A blob of one class inside a ring of the other (TensorFlow Playground).</source>
        <translation>一类点聚成一团，外面是另一类点围成的圆环（TensorFlow Playground）。</translation>
    </message>
    <message>
        <source>Exclusive or</source>
        <translation>异或</translation>
    </message>
    <message>
        <source>Four quadrants: the class is positive where x1 and x2 have the same sign.</source>
        <translation>四个象限：x1 与 x2 同号处为正类。</translation>
    </message>
    <message>
        <source>Gaussian</source>
        <translation>高斯分布</translation>
    </message>
    <message>
        <source>Two Gaussian clouds, easy to separate with a straight line; noise makes them overlap.</source>
        <translation>两团高斯分布的点，用一条直线就能分开；噪声会让它们重叠。</translation>
    </message>
    <message>
        <source>Spiral</source>
        <translation>螺旋</translation>
    </message>
    <message>
        <source>Two interleaved spirals, the hardest TensorFlow Playground set.</source>
        <translation>两条交错的螺旋线，TensorFlow Playground 中最难的数据集。</translation>
    </message>
    <message>
        <source>Two moons</source>
        <translation>双月形</translation>
    </message>
    <message>
        <source>Two interleaving half circles (scikit-learn&apos;s make_moons).</source>
        <translation>两个相互交错的半圆（scikit-learn 的 make_moons）。</translation>
    </message>
    <message>
        <source>Plane</source>
        <translation>平面</translation>
    </message>
    <message>
        <source>Regression: the target rises linearly with x1 + x2.</source>
        <translation>回归：目标值随 x1 + x2 线性增大。</translation>
    </message>
    <message>
        <source>Multi Gaussian</source>
        <translation>多高斯</translation>
    </message>
    <message>
        <source>Regression: six positive and negative bumps on a flat plane.</source>
        <translation>回归：平面上的六个正、负凸起。</translation>
    </message>
    <message>
        <source>Coffee roasting</source>
        <translation>咖啡烘焙</translation>
    </message>
    <message>
        <source>200 coffee roasts by temperature (°C) and duration (minutes), labelled good or bad.</source>
        <translation>200 次咖啡烘焙的温度（°C）和时长（分钟），标注为好或坏。</translation>
    </message>
    <message>
        <source>Iris flowers</source>
        <translation>鸢尾花</translation>
    </message>
    <message>
        <source>150 iris flowers, 4 measurements, 3 species (scikit-learn).</source>
        <translation>150 朵鸢尾花，4 项测量值，3 个品种（scikit-learn）。</translation>
    </message>
    <message>
        <source>Wine</source>
        <translation>葡萄酒</translation>
    </message>
    <message>
        <source>178 wines, 13 chemical measurements, 3 cultivars (scikit-learn).</source>
        <translation>178 种葡萄酒，13 项化学测量值，3 个栽培品种（scikit-learn）。</translation>
    </message>
    <message>
        <source>Breast cancer</source>
        <translation>乳腺癌</translation>
    </message>
    <message>
        <source>569 tumours, 30 cell measurements: malignant or benign (scikit-learn).</source>
        <translation>569 个肿瘤，30 项细胞测量值：恶性或良性（scikit-learn）。</translation>
    </message>
    <message>
        <source>Digits 8×8</source>
        <translation>手写数字 8×8</translation>
    </message>
    <message>
        <source>1,797 handwritten digits as 8×8 images with pixel values 0..16 (scikit-learn).</source>
        <translation>1,797 个手写数字，8×8 图像，像素值 0..16（scikit-learn）。</translation>
    </message>
    <message>
        <source>MNIST</source>
        <translation>MNIST</translation>
    </message>
    <message>
        <source>70,000 handwritten digits as 28×28 grey images (Keras&apos; download).</source>
        <translation>70,000 个手写数字，28×28 灰度图像（由 Keras 下载）。</translation>
    </message>
    <message>
        <source>Fashion-MNIST</source>
        <translation>Fashion-MNIST</translation>
    </message>
    <message>
        <source>70,000 28×28 grey images of 10 kinds of clothing (Keras&apos; download).</source>
        <translation>70,000 张 28×28 灰度图像，共 10 类服饰（由 Keras 下载）。</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>Your own table: numeric feature columns and a target column.</source>
        <translation>你自己的表格：若干数值特征列和一个目标列。</translation>
    </message>
</context>
<context>
    <name>lab</name>
    <message>
        <source>Categorical cross-entropy, a poor second guess</source>
        <translation>多分类交叉熵，第二个猜测较差</translation>
    </message>
    <message>
        <source>Categorical cross-entropy, both guesses good</source>
        <translation>多分类交叉熵，两个猜测都好</translation>
    </message>
    <message>
        <source>Categorical cross-entropy, three samples</source>
        <translation>多分类交叉熵，三个样本</translation>
    </message>
    <message>
        <source>Cross-entropy of a uniform guess over 4 classes</source>
        <translation>在 4 个类别上均匀猜测的交叉熵</translation>
    </message>
    <message>
        <source>Cross-entropy of a confident wrong guess</source>
        <translation>自信而错误的猜测的交叉熵</translation>
    </message>
    <message>
        <source>Cross-entropy of a confident right guess</source>
        <translation>自信而正确的猜测的交叉熵</translation>
    </message>
    <message>
        <source>Binary cross-entropy, unsure</source>
        <translation>二分类交叉熵，不确定</translation>
    </message>
    <message>
        <source>Binary cross-entropy, sure</source>
        <translation>二分类交叉熵，确定</translation>
    </message>
    <message>
        <source>Binary cross-entropy on logits</source>
        <translation>基于 logits 的二分类交叉熵</translation>
    </message>
    <message>
        <source>Mean absolute error (L1)</source>
        <translation>平均绝对误差 (L1)</translation>
    </message>
    <message>
        <source>Mean squared error (L2)</source>
        <translation>均方误差 (L2)</translation>
    </message>
    <message>
        <source>Huber (smooth L1)</source>
        <translation>Huber（平滑 L1）</translation>
    </message>
    <message>
        <source>The notes ran TensorFlow 2.0, whose Keras took log(p + ε) instead of clipping p, and printed {0}; Keras 3 clips p to [ε, 1 − ε].</source>
        <translation>笔记用的是 TensorFlow 2.0，其中的 Keras 计算 log(p + ε) 而不裁剪 p，打印的结果是 {0}；Keras 3 会把 p 裁剪到 [ε, 1 − ε]。</translation>
    </message>
    <message>
        <source>needs one output column per class</source>
        <translation>需要每个类别一个输出列</translation>
    </message>
    <message>
        <source>needs one class index (0 to {0}) per row as targets</source>
        <translation>目标需要每行一个类别索引（0 到 {0}）</translation>
    </message>
    <message>
        <source>needs targets shaped like the outputs ({0} against {1})</source>
        <translation>目标的形状需要与输出相同（{0} 对 {1}）</translation>
    </message>
    <message>
        <source>needs one column per class</source>
        <translation>需要每个类别一列</translation>
    </message>
    <message>
        <source>needs targets between 0 and 1</source>
        <translation>目标需要在 0 到 1 之间</translation>
    </message>
    <message>
        <source>takes probabilities (it has no from_logits)</source>
        <translation>只接受概率（它没有 from_logits）</translation>
    </message>
    <message>
        <source>needs probabilities in [0, 1]; tick logits for raw scores</source>
        <translation>需要 [0, 1] 内的概率；原始分数请勾选 logits</translation>
    </message>
</context>
<context>
    <name>widgets</name>
    <message>
        <source>Range {0}. {1}</source>
        <translation>值域 {0}。{1}</translation>
    </message>
    <message>
        <source>x from −3 to 3</source>
        <translation>x 从 −3 到 3</translation>
    </message>
</context>
</TS>
